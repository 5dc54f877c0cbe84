// services/store against the real servers (MariaDB, FerretDB, Redis), loaded by wrk (its Lua
// scripts in bench/wrk/): GET /users/:id with the cache cold (every request a first read: Redis
// miss, MariaDB row, cache fill) and warm (every request a Redis hit), POST /session and
// GET /session/:id; rounds and CPU per request as for every bench (lib/rounds.ts). Uses
// MYSQL_HOST / MONGO_HOST / REDIS_HOST (+ *_PORT, *_USER, *_PASSWORD[_FILE]) when set, as
// tier store does; otherwise
// starts the servers itself with scripts/store-servers.sh (installs them if needed: root, apt, go).
// Runs the production bundle, logs at info as deployed.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mysql from "mysql2/promise";
import { type BenchContext, buildBundle, startServer } from "./lib/process.ts";
import { type Load, type Measured, measuredRow, measureStarted } from "./lib/rounds.ts";
import { wrk } from "./lib/wrk.ts";

const root = new URL("..", import.meta.url).pathname;
const SERVERS = `${root}scripts/store-servers.sh`;
/** Users per cold round: each is read once while they last, enough for a round at 10k req/s. */
const coldUsers = (ctx: BenchContext) => Number(process.env.BENCH_STORE_USERS ?? ctx.duration * 10_000);
const SESSIONS = 1000;
const WARM_USERS = 1000;

/** Real servers from the environment, or started here (and stopped by the returned function). */
function realServers(): { env: Record<string, string>; stop: () => void } {
  const names = /^(MYSQL|MONGO|REDIS)_/;
  const fromEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => names.test(k))) as Record<string, string>;
  if (fromEnv.MYSQL_HOST && fromEnv.MONGO_HOST && fromEnv.REDIS_HOST) return { env: fromEnv, stop: () => {} };
  const dir = mkdtempSync(join(tmpdir(), "flotilla-store-bench-"));
  const out = execFileSync("bash", ["-c", `source ${SERVERS} && store_install && store_start ${dir}/servers >&2 && env`], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const env: Record<string, string> = {};
  for (const line of out.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0 && names.test(line)) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return {
    env,
    stop: () => {
      execFileSync("bash", ["-c", `source ${SERVERS} && STORE_DIR=${dir}/servers && store_stop_all`], { stdio: "inherit" });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const secret = (env: Record<string, string>, name: string) =>
  env[`${name}_FILE`] ? readFileSync(env[`${name}_FILE`] as string, "utf8").trim() : (env[name] ?? "");

/** Inserts users straight into MariaDB (bcrypt at API speed would make seeding the benchmark). */
async function seedUsers(env: Record<string, string>, count: number): Promise<number[]> {
  const db = await mysql.createConnection({
    host: env.MYSQL_HOST,
    port: Number(env.MYSQL_PORT ?? 3306),
    user: env.MYSQL_USER ?? "store",
    password: secret(env, "MYSQL_PASSWORD"),
    database: env.MYSQL_DB_NAME ?? "flotilla",
  });
  try {
    const tag = `b${Date.now().toString(36)}`;
    const hash = "$2b$04$benchbenchbenchbenchbeu3Q3F4mJ6k0yB8bQZl6Cz1l0gZz9o2W"; // never verified
    for (let start = 0; start < count; start += 1000) {
      const rows = Array.from({ length: Math.min(1000, count - start) }, (_, i) => {
        const n = start + i;
        return [`${tag}_${n}`, `Bench ${n}`, `${tag}_${n}@bench.test`, hash];
      });
      await db.query("INSERT INTO users (username, name, email, password_hash) VALUES ?", [rows]);
    }
    const [ids] = await db.query<mysql.RowDataPacket[]>("SELECT id FROM users WHERE username LIKE ? ORDER BY id", [`${tag}\\_%`]);
    return ids.map((r) => Number(r.id));
  } finally {
    await db.end();
  }
}

/** Runs task(0) .. task(count - 1), `parallel` at a time. */
async function inParallel(count: number, parallel: number, task: (n: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let n = next++; n < count; n = next++) await task(n);
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/** A request that must answer 2xx (preparing a measured run). */
async function mustFetch(url: string, init?: RequestInit): Promise<void> {
  const res = await fetch(url, init);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`store: ${init?.method ?? "GET"} ${url} answered ${res.status}`);
}

async function cacheCounts(base: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(/store_user_cache_requests_total\{result="(\w+)"[^}]*\} (\d+)/g)) counts[m[1] as string] = Number(m[2]);
  return counts;
}

export default async function bench(ctx: BenchContext): Promise<void> {
  const bundle = buildBundle("store");
  const servers = realServers();
  const work = mkdtempSync(join(tmpdir(), "store-bench-"));
  try {
    const store = await startServer({ args: [bundle], env: { ...servers.env, LOG_LEVEL: "info" } });
    try {
      const base = `http://127.0.0.1:${store.port}`;
      const backends = "MariaDB + Redis";
      const script = (name: string) => join(root, "bench/wrk", name);
      const run = (path: string, seconds: number, lua: string, env: Record<string, string> = {}) =>
        wrk(ctx.tools.wrk, `${base}${path}`, { connections: ctx.connections, seconds, script: script(lua), env });
      const report = (m: Measured, note: string) =>
        ctx.report(measuredRow(`store: wrk ${ctx.connections} connections, real servers`, m, note));
      const once = (name: string, load: Load) => measureStarted(ctx, [{ name, server: store }], load).then((m) => m[0] as Measured);

      // Cold: a fresh slice of ids each round (and one for the warm-ups), each id requested once,
      // so every request misses Redis, reads MariaDB and fills the cache.
      const slices: string[] = [];
      for (let r = 0; r <= ctx.rounds; r++) {
        const file = join(work, `ids-${r}.txt`);
        writeFileSync(file, `${(await seedUsers(servers.env, coldUsers(ctx))).join("\n")}\n`);
        slices.push(file);
      }
      const before = await cacheCounts(base);
      let coldRequests = 0;
      const cold = await once("GET /users/:id, cache cold", async (_s, seconds, { round, warmup }) => {
        const result = await run("/", seconds, "ids.lua", { PREFIX: "/users/", IDS_FILE: slices[warmup ? ctx.rounds : round] as string });
        if (!warmup) coldRequests += result.requests;
        return result;
      });
      const afterCold = await cacheCounts(base);
      report(cold, `${backends}; ${(afterCold.miss ?? 0) - (before.miss ?? 0)} misses of ${coldRequests} measured requests (+ warm-ups)`);

      // Warm: WARM_USERS ids of the first slice, each read once more first, so all are in Redis.
      const warmIds = readFileSync(slices[0] as string, "utf8")
        .trim()
        .split("\n")
        .slice(0, WARM_USERS);
      await inParallel(warmIds.length, ctx.connections, (n) => mustFetch(`${base}/users/${warmIds[n]}`));
      const warmFile = join(work, "ids-warm.txt");
      writeFileSync(warmFile, `${warmIds.join("\n")}\n`);
      const beforeWarm = await cacheCounts(base);
      const warm = await once("GET /users/:id, cache warm", (_s, seconds) =>
        run("/", seconds, "ids.lua", { PREFIX: "/users/", IDS_FILE: warmFile }),
      );
      const afterWarm = await cacheCounts(base);
      const hits = (afterWarm.hit ?? 0) - (beforeWarm.hit ?? 0);
      const misses = (afterWarm.miss ?? 0) - (beforeWarm.miss ?? 0);
      report(warm, `${backends}; hit ratio ${((100 * hits) / Math.max(1, hits + misses)).toFixed(1)} %`);

      const post = await once("POST /session", (_s, seconds) => run("/", seconds, "session-post.lua"));
      report(post, "Redis SET EX, 256 B");

      // Which of the POST runs' ids were stored is not known exactly (wrk counts the answers it
      // read, not the ids its script handed out), so the ids the GETs read are stored here first.
      const data = "x".repeat(256); // as bench/wrk/session-post.lua
      await inParallel(SESSIONS, ctx.connections, (n) =>
        mustFetch(`${base}/session`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ session_id: `bench-${n}`, data, ttl: 600 }),
        }),
      );
      const get = await once("GET /session/:id", (_s, seconds) => run("/", seconds, "session-get.lua", { STORED: String(SESSIONS) }));
      report(get, `Redis GET (${SESSIONS} sessions)`);
    } finally {
      await store.stop();
    }
  } finally {
    servers.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
