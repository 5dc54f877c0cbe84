// routeguide: GetFeature unary calls/s and p99 at BENCH_CONNECTIONS (50) concurrent calls, and
// RouteChat notes/s (each note = a ListNotes + a durable SaveNote on the LMDB backend), against
// the production bundle in `all` mode (server + backend, talking gRPC over loopback).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@flotilla/test-support";
import { RouteGuideClient } from "../services/routeguide/src/route-guide-client.ts";
import { type BenchContext, buildBundle, cpuSeconds, rssMiB, sleep, startNode } from "./lib.ts";

const LIBERTY = { latitude: 406892490, longitude: -740445000 };
const CHAT_STREAMS = 10;
const NOTES_PER_STREAM = 100;

export default async function bench(ctx: BenchContext): Promise<void> {
  const bundle = buildBundle("routeguide");
  const dataDir = mkdtempSync(join(tmpdir(), "routeguide-bench-"));
  const grpcPort = await freePort();
  const service = await startNode([bundle], {
    ROUTEGUIDE_MODE: "all",
    GRPC_PORT: String(grpcPort),
    BACKEND_PORT: String(await freePort()),
    DATA_DIR: dataDir,
    LOG_LEVEL: "info", // logs produced and serialised as deployed (stdout discarded)
  });
  const client = new RouteGuideClient({ address: `127.0.0.1:${grpcPort}`, timeoutMs: 30_000 });
  try {
    await unary(client, ctx, 2); // warm-up (JIT, connection)
    const cpuBefore = cpuSeconds(service.pid);
    const result = await unary(client, ctx, ctx.duration);
    const cpu = (cpuSeconds(service.pid) - cpuBefore) / ctx.duration;
    const saves = await savesSummary(service.port);
    ctx.report({
      name: `routeguide GetFeature (${ctx.connections} concurrent)`,
      requestsPerSec: result.perSec,
      p99Ms: result.p99Ms,
      note: `p50 ${result.p50Ms} ms; server CPU ${(cpu * 100).toFixed(0)}% of a core; RSS ${rssMiB(service.pid).toFixed(0)} MiB; backend saves ${saves}`,
    });

    const chat = await chatThroughput(client, ctx.duration);
    ctx.report({
      name: `routeguide RouteChat (${CHAT_STREAMS} streams)`,
      note: `${chat.notesPerSec} notes/s in (each stored durably), ${chat.repliesPerSec} replayed notes/s out`,
    });
  } finally {
    client.close();
    await service.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Closed loop: `concurrency` callers, each issuing its next call as soon as the last returns. */
async function unary(client: RouteGuideClient, ctx: BenchContext, seconds: number) {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const start = performance.now();
      await client.getFeature(LIBERTY);
      latencies.push(performance.now() - start);
    }
  };
  const began = performance.now();
  await Promise.all(Array.from({ length: ctx.connections }, worker));
  const elapsed = (performance.now() - began) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Number((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0).toFixed(2));
  return { perSec: Math.round(latencies.length / elapsed), p50Ms: at(0.5), p99Ms: at(0.99) };
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

async function savesSummary(httpPort: number): Promise<string> {
  await sleep(500);
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  const value = (labels: string) => Number(new RegExp(`routeguide_feature_saves_total\\{${labels}[^}]*\\} (\\d+)`).exec(text)?.[1] ?? 0);
  return `${value('result="saved"')} saved, ${value('result="dropped",reason="queue_full"')} dropped (queue full), ${value('result="failed"')} failed`;
}
