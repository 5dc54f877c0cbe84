// `npm run bench [-- name ...]`: runs bench/<name>.ts (all by default); each exports a default
// `async (ctx) => void`. BENCH_DURATION (seconds per load run) and BENCH_CONNECTIONS tune it.
import { readdirSync } from "node:fs";
import { readRegistry } from "../scripts/registry.ts";
import type { BenchContext, BenchRow } from "./lib.ts";

const dir = new URL(".", import.meta.url).pathname;
const wanted = process.argv.slice(2);
const names = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && !["run.ts", "lib.ts"].includes(f) && !f.endsWith(".test.ts"))
  .map((f) => f.slice(0, -3))
  .filter((name) => wanted.length === 0 || wanted.includes(name));

// One bench per registry member, named for it.
const members = new Set(readRegistry().map((m) => m.name));
for (const name of names) if (!members.has(name)) throw new Error(`bench/${name}.ts: ${name} is not a member of the registry`);

const rows: BenchRow[] = [];
const ctx: BenchContext = {
  duration: Number(process.env.BENCH_DURATION ?? 10),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 50),
  report: (row) => {
    rows.push(row);
    console.log(
      `  ${row.name}: ${[row.requestsPerSec !== undefined ? `${row.requestsPerSec} req/s` : "", row.p99Ms !== undefined ? `p99 ${row.p99Ms} ms` : "", row.note ?? ""].filter(Boolean).join(", ")}`,
    );
  },
};

console.log(`bench: ${names.join(", ")} — ${ctx.connections} connections, ${ctx.duration} s per run, Node ${process.version}`);
for (const name of names) {
  console.log(`\n## ${name}`);
  const module = (await import(`./${name}.ts`)) as { default: (ctx: BenchContext) => Promise<void> };
  await module.default(ctx);
}
console.log("\n| benchmark | req/s | p99 ms | note |\n|---|---|---|---|");
for (const r of rows) console.log(`| ${r.name} | ${r.requestsPerSec ?? ""} | ${r.p99Ms ?? ""} | ${r.note ?? ""} |`);
