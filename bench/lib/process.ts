// Shared pieces for benchmarks: the bench's tools (tools/bench.sh), processes started on a
// free loopback port (test-support), and what /proc says about them (CPU time, memory, load).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { freePort, startService, waitFor } from "@flotilla/test-support";
import { type Member, readRegistry, root } from "../../scripts/registry.ts";
import type { Row } from "./figures.ts";

export interface BenchContext {
  /** Seconds per measured load run (BENCH_DURATION, default 5). */
  duration: number;
  /** Concurrent connections (HTTP) or calls (gRPC) per run (BENCH_CONNECTIONS, default 50). */
  connections: number;
  /** Measured rounds of every variant, interleaved (BENCH_ROUNDS, default 3, at least 3 for the docs). */
  rounds: number;
  tools: Tools;
  /** Adds a row to the final table. */
  report(row: Row): void;
}

/** Paths of the programs tools/bench.sh installs. */
export interface Tools {
  wrk: string;
  ghz: string;
  "go-hello": string;
  "go-routeguide-server": string;
}

/** Installs (once per machine, cached) and locates the bench's tools. */
export function benchTools(): Tools {
  const out = execFileSync("bash", [join(root, "tools/bench.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const tools = Object.fromEntries(
    out
      .trim()
      .split("\n")
      .map((line) => line.split("=", 2) as [string, string]),
  );
  for (const name of ["wrk", "ghz", "go-hello", "go-routeguide-server"]) {
    if (!tools[name]) throw new Error(`tools/bench.sh did not report ${name}`);
  }
  return tools as unknown as Tools;
}

/** The registry member a bench names; an unknown name is a bench's own error. */
export function benchedMember(name: string): Member {
  const member = readRegistry().find((m) => m.name === name);
  if (!member) throw new Error(`bench: ${name} is not a member of the registry`);
  return member;
}

/** Builds a registry member's production bundle (esbuild, as its image runs it); returns dist/main.mjs. */
export function buildBundle(name: string): string {
  const member = benchedMember(name);
  execFileSync("npm", ["run", "build", "-w", member.dir], { cwd: root, stdio: "ignore" });
  return join(root, member.dir, "dist/main.mjs");
}

export interface Started {
  pid: number;
  /** Where the load goes: the HTTP port, or `loadPort` (e.g. the gRPC one) when the server has one. */
  port: number;
  loadPort?: number;
  /** Milliseconds from spawn until `readyPath` answered 200. */
  startMs: number;
  /** CPU milliseconds (user + system) the process had used when it was ready. */
  startCpuMs: number;
  stop(): Promise<number | null>;
}

export interface StartOptions {
  /** Program to run; this Node by default (then `args` are Node's). */
  command?: string;
  /** Its arguments, or a function of the port (for servers that take it as a flag). */
  args?: string[] | ((port: number) => string[]);
  env?: Record<string, string>;
  /** Answers 200 once the server is ready; `/readyz` by default; `tcp`: ready once the port accepts connections (gRPC). */
  readyPath?: string | "tcp";
}

/**
 * Runs a server with HOST=127.0.0.1 and PORT set to a free port, its output discarded (logs are
 * still produced and written, to /dev/null), until `readyPath` answers.
 */
export async function startServer({ command, args = [], env = {}, readyPath = "/readyz" }: StartOptions): Promise<Started> {
  const port = await freePort();
  const began = performance.now();
  const service = await startService({
    command,
    args: typeof args === "function" ? args(port) : args,
    env: { HOST: "127.0.0.1", PORT: String(port), ...env },
    logFile: "/dev/null",
    readyUrl: readyPath === "tcp" ? undefined : `http://127.0.0.1:${port}${readyPath}`,
  });
  if (readyPath === "tcp") await waitFor(() => accepts(port), { timeoutMs: 30_000, what: `port ${port} accepting connections` });
  const startCpuMs = cpuSeconds(service.pid) * 1000;
  return { pid: service.pid, port, startMs: performance.now() - began, startCpuMs, stop: () => service.stop() };
}

function accepts(port: number): Promise<true> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", reject);
  });
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

/** The machine's 1-minute load average. */
export function loadAverage(): number {
  return Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
