// Shared pieces for benchmarks: start a process on a free loopback port, wait for it, load it
// with autocannon, read its CPU time and memory from /proc.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import autocannon from "autocannon";

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

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface Started {
  child: ChildProcess;
  pid: number;
  port: number;
  /** Milliseconds from spawn until `readyPath` answered 200. */
  startMs: number;
  stop(): Promise<number | null>;
}

/** Spawns `node <args>` with PORT set, stdout discarded (logs still written), and waits for readiness. */
export async function startNode(args: string[], env: Record<string, string> = {}, readyPath = "/readyz"): Promise<Started> {
  const port = await freePort();
  const begin = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, HOST: "127.0.0.1", PORT: String(port), ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(" ")} exited with ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}${readyPath}`);
      if (res.ok) break;
    } catch {}
    if (performance.now() - begin > 30_000) throw new Error(`${args.join(" ")} not ready after 30 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const startMs = performance.now() - begin;
  return {
    child,
    pid: child.pid ?? 0,
    port,
    startMs,
    stop: async () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
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
