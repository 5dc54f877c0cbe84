// hello's /hello against a bare node:http server answering the same bytes, in the same run,
// plus process start-to-ready time and idle RSS of the production bundle, and the cost of tracing
// (OTEL_*) on against off.
import { once } from "node:events";
import { createServer } from "node:http";
import { type BenchContext, buildBundle, cpuSeconds, load, rssMiB, type Started, sleep, startNode } from "./lib.ts";

const root = new URL("..", import.meta.url).pathname;

export default async function bench(ctx: BenchContext): Promise<void> {
  const bundle = buildBundle("hello");

  // Start-to-ready: median of 5 cold starts of the bundle.
  const starts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const s = await startNode([bundle]);
    starts.push(s.startMs);
    await s.stop();
  }
  starts.sort((a, b) => a - b);
  ctx.report({ name: "hello start to ready (median of 5)", note: `${starts[2]?.toFixed(0)} ms` });

  const bare = await startNode([`${root}bench/fixtures/bare-hello.ts`]);
  const bareResult = await measure(bare, ctx, "bare node:http /hello");
  await bare.stop();

  // Logs go to /dev/null but are still produced and serialised: the service runs as deployed.
  const hello = await startNode([bundle], { LOG_LEVEL: "info" });
  await sleep(2_000);
  ctx.report({ name: "hello idle RSS", note: `${rssMiB(hello.pid).toFixed(1)} MiB` });
  const helloResult = await measure(hello, ctx, "hello /hello");
  await hello.stop();

  // The same bundle without the per-request access log line: shows what that line costs.
  const quiet = await startNode([bundle], { LOG_LEVEL: "warn" });
  const quietResult = await measure(quiet, ctx, "hello /hello, LOG_LEVEL=warn (no access log)");
  await quiet.stop();

  const ratio = helloResult.requestsPerSec / bareResult.requestsPerSec;
  ctx.report({ name: "hello / bare node:http throughput", note: `${ratio.toFixed(2)} (target ≥ 0.90)` });
  ctx.report({
    name: "hello without access log / bare node:http",
    note: (quietResult.requestsPerSec / bareResult.requestsPerSec).toFixed(2),
  });

  await tracingCost(bundle, ctx);
}

/**
 * Tracing off (the default) against on with every request sampled and exported (the worst case)
 * to an OTLP/HTTP sink in this process. Both servers run side by side and the rounds alternate
 * (BENCH_ROUNDS, default 3), so load from elsewhere on the machine hits both; each row gives the
 * median and the range over the rounds, with the service's CPU time per request from /proc.
 */
async function tracingCost(bundle: string, ctx: BenchContext): Promise<void> {
  let exported = 0;
  const sink = createServer((req, res) => {
    req.on("data", (chunk: Buffer) => {
      exported += chunk.length;
    });
    req.on("end", () => res.writeHead(200, { "content-type": "application/x-protobuf" }).end());
  }).listen(0, "127.0.0.1");
  await once(sink, "listening");
  const endpoint = `http://127.0.0.1:${(sink.address() as { port: number }).port}`;
  const variants: Array<[string, Record<string, string>]> = [
    ["hello /hello, tracing off", { LOG_LEVEL: "info" }],
    [
      "hello /hello, tracing on (every request sampled)",
      { LOG_LEVEL: "info", OTEL_TRACES_EXPORTER: "otlp", OTEL_TRACES_SAMPLER: "always_on", OTEL_EXPORTER_OTLP_ENDPOINT: endpoint },
    ],
  ];
  const servers = await Promise.all(variants.map(([, env]) => startNode([bundle], env)));
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const results = variants.map(() => ({ rps: [] as number[], p99: [] as number[], cpuUs: [] as number[] }));
  for (const server of servers) await load(`http://127.0.0.1:${server.port}/hello`, { ...ctx, duration: 2 }); // warm-up (JIT)
  for (let round = 0; round < rounds; round++) {
    for (const [i, server] of servers.entries()) {
      const cpu = cpuSeconds(server.pid);
      const r = await load(`http://127.0.0.1:${server.port}/hello`, ctx);
      if (r.errors > 0 || r.non2xx > 0) throw new Error(`${variants[i]?.[0]}: ${r.errors} errors, ${r.non2xx} non-2xx`);
      const row = results[i] as (typeof results)[number];
      row.rps.push(r.requestsPerSec);
      row.p99.push(r.p99Ms);
      row.cpuUs.push(((cpuSeconds(server.pid) - cpu) / (r.requestsPerSec * ctx.duration)) * 1e6);
    }
  }
  await Promise.all(servers.map((s) => s.stop()));
  sink.close();
  if (exported === 0) throw new Error("tracing on exported nothing: the variant did not trace");
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const spread = (xs: number[], digits = 0) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;
  for (const [i, [name]] of variants.entries()) {
    const { rps, p99, cpuUs } = results[i] as (typeof results)[number];
    ctx.report({
      name,
      requestsPerSec: median(rps),
      p99Ms: median(p99),
      note: `${rounds} rounds: req/s ${spread(rps)}, p99 ${spread(p99)} ms, CPU ${median(cpuUs).toFixed(0)} µs/request (${spread(cpuUs)})`,
    });
  }
  const [off, on] = results as [(typeof results)[number], (typeof results)[number]];
  ctx.report({
    name: "tracing on / off",
    note: `throughput ${(median(on.rps) / median(off.rps)).toFixed(2)}, CPU per request ${(median(on.cpuUs) / median(off.cpuUs)).toFixed(2)}; ${(exported / 1024 / 1024).toFixed(1)} MiB of OTLP exported`,
  });
}

async function measure(server: Started, ctx: BenchContext, name: string) {
  await load(`http://127.0.0.1:${server.port}/hello`, { ...ctx, duration: 2 }); // warm-up (JIT)
  const result = await load(`http://127.0.0.1:${server.port}/hello`, ctx);
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`${name}: ${result.errors} errors, ${result.non2xx} non-2xx`);
  ctx.report({ name, requestsPerSec: result.requestsPerSec, p99Ms: result.p99Ms });
  return result;
}
