// routeguide: GetFeature unary calls/s, p99 and server CPU per call at BENCH_CONNECTIONS (50)
// concurrent calls (ghz, one connection), next to the canonical Go RouteGuide server
// (google.golang.org/grpc/examples' route_guide/server, built by tools/bench.sh) in the same
// run. The production bundle runs in `all` mode (server + LMDB backend in one process).
// The two servers hold different feature lists (the canonical one and the seed's), so the
// comparison asks for a point neither knows (the same lookup, an unnamed feature back); a second
// row asks routeguide for a named one, which it also saves to its backend, durably.
// Plus RouteChat notes/s through the service's own client (a Node client on the same cores).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@flotilla/test-support";
import { RouteGuideClient } from "../services/routeguide/src/route-guide-client.ts";
import { formatStat, summarise } from "./lib/figures.ts";
import { type BenchContext, buildBundle, type Started, startServer } from "./lib/process.ts";
import { measuredRow, measureRounds, type Variant } from "./lib/rounds.ts";
import { ghz } from "./lib/wrk.ts";

const root = new URL("..", import.meta.url).pathname;
const PROTO = join(root, "services/routeguide/proto/routeguide/route_guide.proto");
const NOWHERE = { latitude: 1, longitude: 1 };
const LIBERTY = { latitude: 406892490, longitude: -740445000 };
const CHAT_STREAMS = 10;
const NOTES_PER_STREAM = 100;

/** The Node routeguide in `all` mode; `port` is its HTTP port (/readyz, /metrics), `loadPort` the gRPC one. */
async function startRouteguide(bundle: string, dataDir: string): Promise<Started> {
  const grpcPort = await freePort();
  const started = await startServer({
    args: [bundle],
    env: {
      ROUTEGUIDE_MODE: "all",
      GRPC_PORT: String(grpcPort),
      BACKEND_PORT: String(await freePort()),
      DATA_DIR: mkdtempSync(join(dataDir, "lmdb-")),
      LOG_LEVEL: "info", // logs produced and serialised as deployed (output discarded)
    },
  });
  return { ...started, loadPort: grpcPort };
}

export default async function bench(ctx: BenchContext): Promise<void> {
  const bundle = buildBundle("routeguide");
  const dataDir = mkdtempSync(join(tmpdir(), "routeguide-bench-"));
  const getFeature = (point: object) => (server: Started, seconds: number) =>
    ghz(ctx.tools.ghz, `127.0.0.1:${server.loadPort ?? server.port}`, {
      concurrency: ctx.connections,
      seconds,
      proto: PROTO,
      importPaths: [join(root, "services/routeguide/proto")],
      call: "routeguide.RouteGuide.GetFeature",
      data: point,
    });
  try {
    const variants: Variant[] = [
      {
        name: "Go RouteGuide (grpc-go examples)",
        start: () => startServer({ command: ctx.tools["go-routeguide-server"], args: (port) => [`-port=${port}`], readyPath: "tcp" }),
      },
      { name: "routeguide (all mode)", start: () => startRouteguide(bundle, dataDir) },
    ];
    const group = `routeguide: GetFeature of an unknown point, ghz ${ctx.connections} concurrent calls`;
    for (const m of await measureRounds(ctx, variants, getFeature(NOWHERE))) ctx.report(measuredRow(group, m));

    const named = await measureRounds(
      ctx,
      [{ name: "routeguide (all mode), named feature + durable save", start: () => startRouteguide(bundle, dataDir) }],
      getFeature(LIBERTY),
    );
    for (const m of named) ctx.report(measuredRow(`routeguide: GetFeature of a named point, ghz ${ctx.connections} concurrent calls`, m));

    const service = await startRouteguide(bundle, dataDir);
    const client = new RouteGuideClient({ address: `127.0.0.1:${service.loadPort}`, timeoutMs: 30_000 });
    try {
      const rates = [];
      for (let round = 0; round < ctx.rounds; round++) rates.push(await chatThroughput(client, ctx.duration));
      ctx.report({
        group: `routeguide: RouteChat, ${CHAT_STREAMS} streams (the service's Node client)`,
        name: "routeguide (all mode)",
        note:
          `${formatStat(summarise(rates.map((r) => r.notesPerSec)))} notes/s in (each stored durably), ` +
          `${formatStat(summarise(rates.map((r) => r.repliesPerSec)))} replayed notes/s out`,
      });
    } finally {
      client.close();
      await service.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Streams of NOTES_PER_STREAM notes; every fifth note revisits an earlier location of its
 * stream, so the server also replays history.
 */
async function chatThroughput(client: RouteGuideClient, seconds: number) {
  let notes = 0;
  let replies = 0;
  let batch = 0;
  const end = performance.now() + seconds * 1000;
  const began = performance.now();
  const stream = async (id: number) => {
    while (performance.now() < end) {
      const b = batch++;
      const batchNotes = Array.from({ length: NOTES_PER_STREAM }, (_, i) => ({
        location: { latitude: id * 1_000_000 + b, longitude: i % 5 === 4 ? i - 4 : i },
        message: `note ${i}`,
      }));
      const received = await client.chat(batchNotes);
      notes += batchNotes.length;
      replies += received.length;
    }
  };
  await Promise.all(Array.from({ length: CHAT_STREAMS }, (_, id) => stream(id + 1)));
  const elapsed = (performance.now() - began) / 1000;
  return { notesPerSec: Math.round(notes / elapsed), repliesPerSec: Math.round(replies / elapsed) };
}
