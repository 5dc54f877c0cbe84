// stats' own signals: the SSE stream cap and the sampler.
import { type Section, timeseries } from "../panels.ts";

export const statsSections: Section[] = [
  {
    title: "SSE stream and sampler",
    panels: [
      timeseries(
        "Open SSE streams",
        "Open GET /stats/stream connections per instance; at STATS_MAX_STREAMS new ones get 503.",
        "none",
        [{ expr: 'stats_sse_streams{service="stats"}', legend: "{{instance}}" }],
        6,
      ),
      timeseries(
        "SSE stream saturation",
        "Open streams over STATS_MAX_STREAMS per instance (StatsSSEStreamsSaturated at 90 %, before any is refused).",
        "percentunit",
        [
          {
            expr: 'max by (instance) (stats_sse_streams{service="stats"} / stats_sse_streams_limit{service="stats"})',
            legend: "{{instance}}",
          },
        ],
        6,
      ),
      timeseries(
        "Streams refused",
        "Streams refused with 503 per second (StatsSSEStreamsRefused).",
        "reqps",
        [{ expr: 'sum(rate(stats_sse_rejected_total{service="stats"}[$__rate_interval]))', legend: "refused" }],
        6,
      ),
      timeseries(
        "Sample age and duration",
        "Seconds since the last CPU/RAM sample, and the p99 time to take one.",
        "s",
        [
          { expr: 'time() - stats_last_sample_timestamp_seconds{service="stats"}', legend: "age {{instance}}" },
          {
            expr: 'histogram_quantile(0.99, sum by (le) (rate(stats_sample_duration_seconds_bucket{service="stats"}[$__rate_interval])))',
            legend: "p99 duration",
          },
        ],
        6,
      ),
    ],
  },
];
