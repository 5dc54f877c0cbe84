// One load run: wrk (HTTP, Debian's package: C, one thread, so the server keeps the other core)
// or ghz (gRPC, Go), both outside any JavaScript event loop. Each returns the same LoadRun.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface LoadRun {
  requests: number;
  requestsPerSec: number;
  p99Ms: number;
}

export interface WrkOptions {
  connections: number;
  seconds: number;
  /** A Lua script (wrk -s) that shapes the requests, e.g. a path per request or a POST body. */
  script?: string;
  /** Environment for the script (read with os.getenv). */
  env?: Record<string, string>;
}

/** `wrk -t1 -cN -dS --latency URL`; fails on socket errors or non-2xx/3xx answers. */
export async function wrk(bin: string, url: string, options: WrkOptions): Promise<LoadRun> {
  const args = ["-t1", `-c${options.connections}`, `-d${options.seconds}s`, "--latency", "--timeout", "10s"];
  if (options.script) args.push("-s", options.script);
  const { stdout } = await run(bin, [...args, url], { env: { ...process.env, ...options.env } });
  return parseWrk(stdout, url);
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

export function parseWrk(out: string, what = "wrk"): LoadRun {
  const requests = Number(/^\s*(\d+) requests in/m.exec(out)?.[1]);
  const requestsPerSec = Number(/^Requests\/sec:\s*([\d.]+)/m.exec(out)?.[1]);
  const p99 = /^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(out);
  if (!Number.isFinite(requests) || !Number.isFinite(requestsPerSec) || !p99) throw new Error(`${what}: cannot read wrk's output:\n${out}`);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const failed = errors ? errors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  if (failed > 0 || non2xx > 0) throw new Error(`${what}: ${failed} socket errors, ${non2xx} non-2xx/3xx responses`);
  return { requests, requestsPerSec, p99Ms: Number(p99[1]) * (UNIT_MS[p99[2] as string] as number) };
}

export interface GhzOptions {
  /** Concurrent calls, on one connection (ghz -c). */
  concurrency: number;
  seconds: number;
  proto: string;
  importPaths: string[];
  call: string;
  data: object;
}

/** `ghz --insecure -c N -z Ss`; fails when any call did not end OK. */
export async function ghz(bin: string, address: string, options: GhzOptions): Promise<LoadRun> {
  const args = ["--insecure", "--format=json", `--proto=${options.proto}`, `--call=${options.call}`];
  for (const path of options.importPaths) args.push(`--import-paths=${path}`);
  args.push(`--data=${JSON.stringify(options.data)}`, `-c`, String(options.concurrency), "-z", `${options.seconds}s`, address);
  const { stdout } = await run(bin, args, { maxBuffer: 64 * 1024 * 1024 });
  return parseGhz(stdout, address, options.concurrency);
}

/** ghz's JSON report as a LoadRun; fails on any call that did not end OK (but for the deadline's). */
export function parseGhz(stdout: string, address: string, concurrency: number): LoadRun {
  const report = JSON.parse(stdout) as {
    count: number;
    rps: number;
    statusCodeDistribution?: Record<string, number>;
    errorDistribution?: Record<string, number>;
    latencyDistribution?: Array<{ percentage: number; latency: number }>;
  };
  // At the deadline ghz cancels the calls in flight and closes its connection under them: those
  // end Canceled ("context canceled", "the client connection is closing") or Unavailable ("use of
  // closed network connection", "transport is closing"), at most one per concurrent call; any
  // other error, or more of these, fails the run.
  const atDeadline = /context canceled|the client connection is closing|use of closed network connection|transport is closing/;
  const errors = Object.entries(report.errorDistribution ?? {});
  const failed = errors.filter(([message]) => !atDeadline.test(message));
  const cut = errors.filter(([message]) => atDeadline.test(message)).reduce((sum, [, n]) => sum + n, 0);
  if (failed.length > 0) throw new Error(`ghz ${address}: calls failed: ${JSON.stringify(Object.fromEntries(failed))}`);
  if (cut > concurrency) throw new Error(`ghz ${address}: ${cut} calls cut, more than the ${concurrency} in flight at the deadline`);
  const p99 = report.latencyDistribution?.find((d) => d.percentage === 99)?.latency;
  if (p99 === undefined) throw new Error(`ghz ${address}: no latency distribution in its report`);
  const ok = report.statusCodeDistribution?.OK ?? report.count;
  return { requests: ok, requestsPerSec: report.rps, p99Ms: p99 / 1e6 }; // ghz reports nanoseconds
}
