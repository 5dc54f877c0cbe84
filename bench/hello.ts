// hello's GET /hello side by side with what it is measured against, in the same run: bare
// node:http answering the same body, and the same bytes (hello's headers too; fixtures.test.ts
// proves both), a minimal Fastify 5 app, the seeds' Go hello (gobyexample's http-server), and the
// hello bundle as deployed, without its access log, and with tracing on (every request sampled and
// exported to an OTLP sink in this process). Plus the bundle's start to ready (as it is, with Node's
// compile cache, and from a startup snapshot if Node can build one) and its memory, idle and after
// the load.
//
// HTTP_VARIANTS is the list of servers compared: a new variant is one more entry (a name and how
// to start it, e.g. the bundle with another environment); everything else follows.
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SECURITY_HEADERS } from "@flotilla/service-kit";
import { formatStat } from "./lib/figures.ts";
import { type BenchContext, buildBundle, startServer } from "./lib/process.ts";
import { measuredRow, measureRounds, type Variant } from "./lib/rounds.ts";
import { buildSnapshot, type Snapshot } from "./lib/snapshot.ts";
import { measureStarts } from "./lib/starts.ts";
import { wrk } from "./lib/wrk.ts";

const fixture = (name: string) => new URL(`fixtures/${name}`, import.meta.url).pathname;

export const BASELINE = "bare node:http";
export const SAME_BYTES = "bare node:http, hello's headers (same bytes)";
export const DEPLOYED = "hello as deployed (LOG_LEVEL=info)";
export const TRACED = "hello, tracing on (every request sampled, OTLP/HTTP)";
/** Target: hello as deployed uses at most this many times bare node:http's CPU per request. */
const CPU_RATIO_TARGET = 1.25;
const START_TARGET_MS = 300;
const IDLE_RSS_TARGET_MIB = 60;
const STARTS = 7;
const SNAPSHOT = "hello from a startup snapshot (node --snapshot-blob)";

/** hello's main without tracing (off in every start variant), its start handed to the snapshot's main function. */
const SNAPSHOT_ENTRY = `
import { startupSnapshot } from "node:v8";
import { runService } from "@flotilla/service-kit";
import { buildApp } from "./src/app.ts";
import { configSchema } from "./src/config.ts";
startupSnapshot.setDeserializeMainFunction(() => {
  void runService({ name: "hello", schema: configSchema, build: (config) => buildApp(config) });
});
`;

/**
 * The servers of the GET /hello comparison. `deployed` is the environment the image gives the
 * bundle (its compile cache). A new variant is one more entry.
 */
export function httpVariants(ctx: BenchContext, bundle: string, deployed: Record<string, string>, otlpEndpoint: string): Variant[] {
  return [
    { name: BASELINE, start: () => startServer({ args: [fixture("bare-hello.mjs")] }) },
    {
      name: SAME_BYTES,
      start: () => startServer({ args: [fixture("bare-hello-headers.mjs")], env: { FIXTURE_HEADERS: JSON.stringify(SECURITY_HEADERS) } }),
    },
    { name: "minimal Fastify 5", start: () => startServer({ args: [fixture("fastify-hello.mjs")] }) },
    { name: "Go net/http (the seeds' hello)", start: () => startServer({ command: ctx.tools["go-hello"], readyPath: "/hello" }) },
    { name: DEPLOYED, start: () => startServer({ args: [bundle], env: { ...deployed, LOG_LEVEL: "info" } }) },
    {
      name: "hello without access log (LOG_LEVEL=warn)",
      start: () => startServer({ args: [bundle], env: { ...deployed, LOG_LEVEL: "warn" } }),
    },
    {
      name: TRACED,
      start: () =>
        startServer({
          args: [bundle],
          env: {
            ...deployed,
            LOG_LEVEL: "info",
            OTEL_TRACES_EXPORTER: "otlp",
            OTEL_TRACES_SAMPLER: "always_on",
            OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
          },
        }),
    },
  ];
}

/** An OTLP/HTTP sink that answers 200 and counts the bytes it was sent (the traced variant's exports). */
async function otlpSink() {
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
    });
    req.on("end", () => res.writeHead(200, { "content-type": "application/x-protobuf" }).end());
  }).listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    bytes: () => bytes,
    close: () => server.close(),
  };
}

/**
 * Start to ready of the bundle as it is, as its image runs it (with Node's compile cache, made by
 * one start), and from a startup snapshot when one could be built.
 */
function startVariants(bundle: string, deployed: Record<string, string>, snapshot: Snapshot): Variant[] {
  return [
    { name: "hello bundle", start: () => startServer({ args: [bundle] }) },
    { name: "hello bundle + compile cache (as in its image)", start: () => startServer({ args: [bundle], env: deployed }) },
    ...("blob" in snapshot ? [{ name: SNAPSHOT, start: () => startServer({ args: ["--snapshot-blob", snapshot.blob] }) }] : []),
  ];
}

export default async function bench(ctx: BenchContext): Promise<void> {
  const bundle = buildBundle("hello");
  const work = mkdtempSync(join(tmpdir(), "hello-bench-"));
  try {
    const snapshot = await buildSnapshot("hello", SNAPSHOT_ENTRY, work);
    await measure(ctx, bundle, { NODE_COMPILE_CACHE: join(work, "compile-cache") }, snapshot);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function measure(ctx: BenchContext, bundle: string, deployed: Record<string, string>, snapshot: Snapshot): Promise<void> {
  // The image's cache is made by one start to ready at build time; so is this one.
  const training = await startServer({ args: [bundle], env: deployed });
  await fetch(`http://127.0.0.1:${training.port}/hello`);
  await training.stop();
  if ("error" in snapshot) ctx.report({ group: "hello: start to ready", name: SNAPSHOT, note: `not measured: ${snapshot.error}` });
  for (const s of await measureStarts(startVariants(bundle, deployed, snapshot), STARTS)) {
    ctx.report({
      group: "hello: start to ready",
      name: s.variant,
      load: s.load,
      note:
        `start to ready ${formatStat(s.wallMs)} ms (target ≤ ${START_TARGET_MS} ms: ${s.wallMs.median <= START_TARGET_MS ? "met" : "missed"}), ` +
        `CPU to ready ${formatStat(s.cpuMs)} ms; ${STARTS} starts`,
    });
  }

  const sink = await otlpSink();
  const variants = httpVariants(ctx, bundle, deployed, sink.endpoint);
  const url = (port: number) => `http://127.0.0.1:${port}/hello`;
  const measured = await measureRounds(ctx, variants, (server, seconds) =>
    wrk(ctx.tools.wrk, url(server.port), { connections: ctx.connections, seconds }),
  ).finally(() => sink.close());
  // the traced variant must really have traced, or its row measures nothing of tracing
  if (sink.bytes() === 0) throw new Error(`${TRACED}: nothing was exported to the OTLP sink`);
  const cpuOf = (variant: string) => measured.find((m) => m.variant === variant)?.cpuUsPerRequest.median ?? Number.NaN;
  const [untraced, baseline, sameBytes] = [cpuOf(DEPLOYED), cpuOf(BASELINE), cpuOf(SAME_BYTES)];
  for (const m of measured) {
    const ratio = m.cpuUsPerRequest.median / baseline;
    const notes = m.variant === BASELINE ? [] : [`CPU/req ${ratio.toFixed(2)}× bare`];
    if (m.variant === DEPLOYED) {
      notes.push(`target ≤ ${CPU_RATIO_TARGET}× (${ratio <= CPU_RATIO_TARGET ? "met" : "missed"})`);
      notes.push(`${(m.cpuUsPerRequest.median / sameBytes).toFixed(2)}× bare with hello's headers`);
      notes.push(`idle RSS target ≤ ${IDLE_RSS_TARGET_MIB} MiB (${m.idleRssMiB <= IDLE_RSS_TARGET_MIB ? "met" : "missed"})`);
    }
    if (m.variant === TRACED) {
      notes.push(`${(m.cpuUsPerRequest.median / untraced).toFixed(2)}× tracing off's CPU/req`);
      notes.push(`${(sink.bytes() / 1024 / 1024).toFixed(1)} MiB of OTLP exported`);
    }
    ctx.report(measuredRow(`hello: GET /hello, wrk ${ctx.connections} connections`, m, ...notes));
  }
}
