// Builds the stats service on the kit: sampler, routes, CORS, metrics, readiness, shutdown.
import cors from "@fastify/cors";
import { createKit, type Kit } from "@flotilla/service-kit";
import type { DestinationStream } from "pino";
import pkg from "../package.json" with { type: "json" };
import type { Config } from "./config.ts";
import { createStatsMetrics } from "./metrics.ts";
import { Sampler } from "./sampler.ts";
import { StreamHub } from "./sse.ts";
import { registerStatsRoute } from "./stats-route.ts";
import { registerStreamRoute } from "./stream-route.ts";

/** A sample older than this many intervals means the sampler is stuck: not ready. */
const STALE_AFTER_INTERVALS = 5;

export async function buildApp(config: Config, options: { logDestination?: DestinationStream } = {}): Promise<Kit> {
  const kit = await createKit({ name: "stats", version: pkg.version, config, ...options });
  const metrics = createStatsMetrics(kit.metrics);
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
      kit.log.error({ err }, "sampling failed; keeping the previous sample");
    },
  });
  try {
    await sampler.start();
  } catch (err) {
    throw new Error(`cannot read ${config.STATS_PROC_ROOT} (stats needs Linux procfs): ${(err as Error).message}`);
  }
  kit.log.info({ cgroup: sampler.cgroupLocation, intervalMs }, "sampler started");

  kit.health.addCheck("sampler", () => {
    const latest = sampler.latest;
    if (!latest) throw new Error("first sample not taken yet");
    const ageMs = Date.now() - Date.parse(latest.sample.sampledAt);
    if (ageMs > intervalMs * STALE_AFTER_INTERVALS) throw new Error(`latest sample is ${Math.round(ageMs)} ms old`);
  });

  if (config.CORS_ORIGINS.length > 0) {
    await kit.app.register(cors, {
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

  registerStatsRoute(kit.app, sampler, intervalMs);
  registerStreamRoute(kit.app, hub, () => metrics.streamsRejected.inc());

  // Streams never finish by themselves: end them before the server waits for connections to drain.
  kit.app.addHook("preClose", async () => hub.stop());
  kit.onClose(() => sampler.stop());
  return kit;
}
