// The service's own Prometheus metrics, on the kit's registry.
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

export interface StatsMetrics {
  streams: Gauge;
  streamsLimit: Gauge;
  streamsRejected: Counter;
  sampleDuration: Histogram;
  sampleErrors: Counter;
  lastSample: Gauge;
}

export function createStatsMetrics(registry: Registry): StatsMetrics {
  const registers = [registry];
  return {
    streams: new Gauge({ name: "stats_sse_streams", help: "Open GET /stats/stream connections.", registers }),
    // The ceiling beside the count, so saturation (streams / limit) alerts before streams are refused.
    streamsLimit: new Gauge({ name: "stats_sse_streams_limit", help: "STATS_MAX_STREAMS: open streams beyond it are refused.", registers }),
    streamsRejected: new Counter({
      name: "stats_sse_rejected_total",
      help: "Streams refused with 503 because STATS_MAX_STREAMS were open.",
      registers,
    }),
    sampleDuration: new Histogram({
      name: "stats_sample_duration_seconds",
      help: "Time to read /proc and the cgroup files for one sample.",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
      registers,
    }),
    sampleErrors: new Counter({
      name: "stats_sample_errors_total",
      help: "Samples that failed (the previous sample stayed current).",
      registers,
    }),
    lastSample: new Gauge({
      name: "stats_last_sample_timestamp_seconds",
      help: "Unix time of the latest sample; alert when it stops moving.",
      registers,
    }),
  };
}
