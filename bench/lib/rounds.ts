// Side by side: every variant of a comparison is started once, then measured in interleaved rounds
// (each round in a rotated order), so the machine's load, which moves by the minute, weighs on
// every variant alike. CPU per request is the server's CPU time over the run (/proc) divided by
// the requests it answered: unlike requests/s it barely depends on what else the machine runs.
import { type Row, type Stat, summarise } from "./figures.ts";
import { type BenchContext, cpuSeconds, loadAverage, rssMiB, type Started, sleep } from "./process.ts";
import type { LoadRun } from "./wrk.ts";

/** One server of a comparison: how to start it. A new variant is one more entry in a list of these. */
export interface Variant {
  name: string;
  start(): Promise<Started>;
}

export interface Measured {
  variant: string;
  requestsPerSec: Stat;
  p99Ms: Stat;
  cpuUsPerRequest: Stat;
  load: Stat;
  /** RSS 2 s after start, before any load. */
  idleRssMiB: number;
  /** RSS right after the last round. */
  loadedRssMiB: number;
}

const WARMUP_SECONDS = 1;

/** One load run against a server; `warmup` runs are not measured (a load may send them elsewhere). */
export type Load = (server: Started, seconds: number, run: { round: number; warmup: boolean }) => Promise<LoadRun>;

/**
 * Starts every variant, measures them (measureStarted) and stops them.
 */
export async function measureRounds(ctx: BenchContext, variants: Variant[], load: Load): Promise<Measured[]> {
  const servers: Started[] = [];
  try {
    for (const variant of variants) servers.push(await variant.start());
    return await measureStarted(
      ctx,
      variants.map((v, i) => ({ name: v.name, server: servers[i] as Started })),
      load,
    );
  } finally {
    for (const server of servers) await server.stop();
  }
}

/**
 * Loads each running server with `load` for ctx.rounds rounds of ctx.duration seconds, each
 * round in a rotated order and after a short warm-up (JIT, caches).
 */
export async function measureStarted(ctx: BenchContext, named: Array<{ name: string; server: Started }>, load: Load): Promise<Measured[]> {
  const servers = named.map((n) => n.server);
  await sleep(2_000);
  const idle = servers.map((s) => rssMiB(s.pid));
  const samples = named.map(() => ({ rps: [] as number[], p99: [] as number[], cpu: [] as number[], load: [] as number[] }));
  for (let round = 0; round < ctx.rounds; round++) {
    for (let k = 0; k < named.length; k++) {
      const i = (k + round) % named.length;
      const server = servers[i] as Started;
      await load(server, WARMUP_SECONDS, { round, warmup: true });
      const loadBefore = loadAverage();
      const cpuBefore = cpuSeconds(server.pid);
      const result = await load(server, ctx.duration, { round, warmup: false });
      const cpu = cpuSeconds(server.pid) - cpuBefore;
      const s = samples[i] as (typeof samples)[number];
      s.rps.push(result.requestsPerSec);
      s.p99.push(result.p99Ms);
      s.cpu.push((cpu * 1e6) / result.requests);
      s.load.push((loadBefore + loadAverage()) / 2);
      console.log(
        `    round ${round + 1} ${(named[i] as { name: string }).name}: ${Math.round(result.requestsPerSec)} req/s, p99 ${result.p99Ms.toFixed(2)} ms, ` +
          `${((cpu * 1e6) / result.requests).toFixed(1)} µs CPU/req, load ${loadAverage().toFixed(1)}`,
      );
    }
  }
  return named.map((v, i) => {
    const s = samples[i] as (typeof samples)[number];
    return {
      variant: v.name,
      requestsPerSec: summarise(s.rps),
      p99Ms: summarise(s.p99),
      cpuUsPerRequest: summarise(s.cpu),
      load: summarise(s.load),
      idleRssMiB: idle[i] as number,
      loadedRssMiB: rssMiB((servers[i] as Started).pid),
    };
  });
}

/** A table row of a measured server: its figures, its memory, and `notes` after them. */
export function measuredRow(group: string, m: Measured, ...notes: string[]): Row {
  return {
    group,
    name: m.variant,
    requestsPerSec: m.requestsPerSec,
    p99Ms: m.p99Ms,
    cpuUsPerRequest: m.cpuUsPerRequest,
    load: m.load,
    note: [`RSS ${m.idleRssMiB.toFixed(0)} MiB idle, ${m.loadedRssMiB.toFixed(0)} MiB after the load`, ...notes].join("; "),
  };
}
