// hello's /hello against a bare node:http server answering the same bytes, in the same run,
// plus process start-to-ready time and idle RSS of the production bundle.
import { type BenchContext, buildBundle, load, rssMiB, type Started, sleep, startNode } from "./lib.ts";

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
}

async function measure(server: Started, ctx: BenchContext, name: string) {
  await load(`http://127.0.0.1:${server.port}/hello`, { ...ctx, duration: 2 }); // warm-up (JIT)
  const result = await load(`http://127.0.0.1:${server.port}/hello`, ctx);
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`${name}: ${result.errors} errors, ${result.non2xx} non-2xx`);
  ctx.report({ name, requestsPerSec: result.requestsPerSec, p99Ms: result.p99Ms });
  return result;
}
