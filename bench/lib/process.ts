// Shared pieces for benchmarks: start a process on a free loopback port (test-support), load it
// with autocannon, read its CPU time and memory from /proc.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, type StartedService, startService } from "@flotilla/test-support";
import autocannon from "autocannon";
import { readRegistry, root } from "../scripts/registry.ts";

export interface BenchContext {
  /** Seconds per load run (BENCH_DURATION, default 10). */
  duration: number;
  connections: number;
  /** Adds a row to the final table. */
  report(row: BenchRow): void;
}

export interface BenchRow {
  name: string;
  requestsPerSec?: number;
  p99Ms?: number;
  note?: string;
}

/** Builds a registry member's production bundle (esbuild, as its image runs it); returns dist/main.mjs. */
export function buildBundle(name: string): string {
  const member = readRegistry().find((m) => m.name === name);
  if (!member) throw new Error(`bench: ${name} is not a member of the registry`);
  execFileSync("npm", ["run", "build", "-w", member.dir], { cwd: root, stdio: "ignore" });
  return join(root, member.dir, "dist/main.mjs");
}

export interface Started {
  child: StartedService["child"];
  pid: number;
  port: number;
  /** Milliseconds from spawn until `readyPath` answered 200. */
  startMs: number;
  stop(): Promise<number | null>;
}

/** Runs `node <args>` with PORT set to a free port, output discarded (logs still written), until `readyPath` answers. */
export async function startNode(args: string[], env: Record<string, string> = {}, readyPath = "/readyz"): Promise<Started> {
  const port = await freePort();
  const service = await startService({
    args,
    env: { HOST: "127.0.0.1", PORT: String(port), ...env },
    logFile: "/dev/null",
    readyUrl: `http://127.0.0.1:${port}${readyPath}`,
  });
  return { child: service.child, pid: service.pid, port, startMs: service.startMs, stop: () => service.stop() };
}

export interface LoadResult {
  requestsPerSec: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

export async function load(url: string, ctx: BenchContext, options: Partial<autocannon.Options> = {}): Promise<LoadResult> {
  const result = await autocannon({ url, connections: ctx.connections, duration: ctx.duration, ...options });
  return {
    requestsPerSec: Math.round(result.requests.average),
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** Resident set size of a process, in MiB. */
export function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** User + system CPU seconds a process has used. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
