// Builds the stats service on the kit: sampler, routes, CORS, metrics, readiness, shutdown.
import cors from "@fastify/cors";
import { createService, type Service } from "@flotilla/service-kit";
import type { DestinationStream } from "pino";
import pkg from "../package.json" with { type: "json" };
import type { Config } from "./config.ts";
import { createStatsMetrics } from "./metrics.ts";
import { statsRoutes } from "./routes/stats.ts";
import { streamRoutes } from "./routes/stream.ts";
import { Sampler } from "./sampler.ts";
import { StreamHub } from "./sse.ts";

/** A sample older than this many intervals means the sampler is stuck: not ready. */
const STALE_AFTER_INTERVALS = 5;

export async function buildApp(config: Config, options: { logDestination?: DestinationStream } = {}): Promise<Service> {
  const app = await createService({ name: "stats", version: pkg.version, description: pkg.description, config, ...options });
  const metrics = createStatsMetrics(app.metrics);
  metrics.streamsLimit.set(config.STATS_MAX_STREAMS);
  const intervalMs = config.STATS_SAMPLE_INTERVAL_MS;

  const sampler = new Sampler({
    procRoot: config.STATS_PROC_ROOT,
    cgroupRoot: config.STATS_CGROUP_ROOT,
    intervalMs,
    onSample: (sample, ms) => {
      metrics.sampleDuration.observe(ms / 1000);
      metrics.lastSample.set(Date.parse(sample.sampledAt) / 1000);
    },
    onError: (err) => {
      metrics.sampleErrors.inc();
      app.log.error({ err }, "sampling failed; keeping the previous sample");
    },
  });
  try {
    await sampler.start();
  } catch (err) {
    throw new Error(`cannot read ${config.STATS_PROC_ROOT} (stats needs Linux procfs): ${(err as Error).message}`);
  }
  app.log.info({ cgroup: sampler.cgroupLocation, intervalMs }, "sampler started");

  app.health.addCheck("sampler", () => {
    const latest = sampler.latest;
    if (!latest) throw new Error("first sample not taken yet");
    const ageMs = Date.now() - Date.parse(latest.sample.sampledAt);
    if (ageMs > intervalMs * STALE_AFTER_INTERVALS) throw new Error(`latest sample is ${Math.round(ageMs)} ms old`);
  });

  if (config.CORS_ORIGINS.length > 0) {
    await app.register(cors, {
      origin: config.CORS_ORIGINS.includes("*") ? "*" : config.CORS_ORIGINS,
      methods: ["GET", "HEAD"],
      maxAge: 600,
    });
  }

  const hub = new StreamHub(sampler, {
    maxStreams: config.STATS_MAX_STREAMS,
    heartbeatMs: config.STATS_SSE_HEARTBEAT_MS,
    retryMs: Math.max(1000, intervalMs),
    onCountChange: (open) => metrics.streams.set(open),
  });

  await app.register(statsRoutes, { sampler, intervalMs });
  await app.register(streamRoutes, { hub, onRejected: () => metrics.streamsRejected.inc() });

  // Streams never finish by themselves: end them before the server waits for connections to drain.
  app.addHook("preClose", async () => hub.stop());
  app.addHook("onClose", async () => sampler.stop());
  return app;
}
