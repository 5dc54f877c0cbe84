// services/stats: GET /stats throughput, p99 and CPU per request (wrk, ctx.connections), and what 100
// open SSE streams cost the stats process (CPU and resident memory, from /proc/<pid>), against
// the same process idle. Runs the production bundle, logs at info as deployed.
import { type ClientRequest, request as httpRequest } from "node:http";
import { type BenchContext, buildBundle, cpuSeconds, rssMiB, sleep, startServer } from "./lib/process.ts";
import { measuredRow, measureStarted } from "./lib/rounds.ts";
import { wrk } from "./lib/wrk.ts";

const STREAMS = 100;

/** CPU the process used over a window, as a percent of one core. */
async function cpuPercentOver(pid: number, ms: number): Promise<number> {
  const t0 = performance.now();
  const c0 = cpuSeconds(pid);
  await sleep(ms);
  return ((cpuSeconds(pid) - c0) / ((performance.now() - t0) / 1000)) * 100;
}

/** Opens n SSE streams; counts `stats` events received across all of them. */
async function openStreams(url: string, n: number): Promise<{ requests: ClientRequest[]; events: () => number }> {
  let events = 0;
  const requests: ClientRequest[] = [];
  await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<void>((resolve, reject) => {
          const req = httpRequest(url, (res) => {
            if (res.statusCode !== 200) reject(new Error(`stream answered ${res.statusCode}`));
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => {
              events += chunk.split("event: stats\n").length - 1;
            });
            resolve();
          });
          req.on("error", (err) => {
            if (!req.destroyed) reject(err);
          });
          req.end();
          requests.push(req);
        }),
    ),
  );
  return { requests, events: () => events };
}

export default async function bench(ctx: BenchContext): Promise<void> {
  const bundle = buildBundle("stats");
  const stats = await startServer({ args: [bundle], env: { LOG_LEVEL: "info", STATS_SAMPLE_INTERVAL_MS: "1000" } });
  try {
    const url = `http://127.0.0.1:${stats.port}/stats`;
    const [m] = await measureStarted(ctx, [{ name: "stats", server: stats }], (_s, seconds) =>
      wrk(ctx.tools.wrk, url, { connections: ctx.connections, seconds }),
    );
    if (m) ctx.report(measuredRow(`stats: wrk ${ctx.connections} connections`, { ...m, variant: "GET /stats" }));

    const windowMs = ctx.duration * 1000;
    await sleep(1_000);
    const idleCpu = await cpuPercentOver(stats.pid, windowMs);
    const idleRss = rssMiB(stats.pid);
    ctx.report({
      group: "stats: SSE streams",
      name: "idle (0 streams)",
      note: `CPU ${idleCpu.toFixed(1)} % of a core, RSS ${idleRss.toFixed(1)} MiB`,
    });

    const { requests, events } = await openStreams(`${url}/stream`, STREAMS);
    await sleep(1_000);
    const before = events();
    const streamCpu = await cpuPercentOver(stats.pid, windowMs);
    const streamRss = rssMiB(stats.pid);
    const delivered = events() - before;
    for (const req of requests) req.destroy();
    ctx.report({
      group: "stats: SSE streams",
      name: `${STREAMS} open SSE streams`,
      note:
        `CPU ${streamCpu.toFixed(1)} % of a core (+${(streamCpu - idleCpu).toFixed(1)}), ` +
        `RSS ${streamRss.toFixed(1)} MiB (+${(streamRss - idleRss).toFixed(1)}), ` +
        `${delivered} events delivered in ${ctx.duration} s (expected ≈ ${STREAMS * ctx.duration})`,
    });
  } finally {
    await stats.stop();
  }
}
