// The four golden signals of one service (traffic, errors, latency, saturation), from the RED
// recording rules (deploy/monitoring/rules/fleet-red.rules.yml) and prom-client's process metrics.
// An HTTP service's come from the kit's HTTP metrics; a gRPC service's (routeguide) from its gRPC
// metrics, since its HTTP side only serves probes and scrapes.
import { type Panel, type Section, timeseries } from "./panels.ts";

export function goldenSignals(service: string, protocol: "http" | "grpc"): Section[] {
  const s = `service="${service}"`;
  return [...(protocol === "grpc" ? grpcSignals(s) : httpSignals(s)), { title: "Saturation", panels: saturation(s) }];
}

function grpcSignals(s: string): Section[] {
  return [
    {
      title: "gRPC traffic and errors",
      panels: [
        timeseries("Calls by method and code", "gRPC calls completed per second, by method and status code.", "reqps", [
          {
            expr: `sum by (grpc_method, grpc_code) (rate(grpc_server_handled_total{${s}}[$__rate_interval]))`,
            legend: "{{grpc_method}} {{grpc_code}}",
          },
        ]),
        timeseries(
          "Server errors",
          "Calls per second ending in a code the server is responsible for (Internal, Unavailable, ...).",
          "reqps",
          [{ expr: `service:grpc_server_errors:rate5m{${s}}`, legend: "errors" }],
        ),
      ],
    },
    {
      title: "gRPC latency",
      panels: [
        timeseries("Unary p99", "The slowest 1 % of unary calls (streams last as long as the client wants).", "s", [
          { expr: `service:grpc_server_handling_seconds:p99_rate5m{${s}}`, legend: "p99" },
        ]),
        timeseries("p99 by method", "The slowest 1 % of calls, per method.", "s", [
          {
            expr: `histogram_quantile(0.99, sum by (grpc_method, le) (rate(grpc_server_handling_seconds_bucket{${s}}[$__rate_interval])))`,
            legend: "{{grpc_method}}",
          },
        ]),
      ],
    },
  ];
}

function httpSignals(s: string): Section[] {
  return [
    {
      title: "Traffic and errors",
      panels: [
        timeseries("Requests by route", "HTTP requests per second, by method and route pattern.", "reqps", [
          { expr: `service_route:http_requests:rate5m{${s}}`, legend: "{{method}} {{route}}" },
        ]),
        timeseries(
          "Responses by status",
          "HTTP answers per second, by status code: 4xx are the callers' mistakes, 5xx the service's.",
          "reqps",
          [{ expr: `service_status:http_requests:rate5m{${s}}`, legend: "{{status}}" }],
        ),
        timeseries("5xx ratio", "Share of answers that were server errors (5-minute rate).", "percentunit", [
          { expr: `service:http_errors:ratio_rate5m{${s}}`, legend: "5xx ratio" },
        ]),
        timeseries(
          "Error budget burn (1 h)",
          "Availability and latency SLIs over the last hour, against their budgets (0.1 % and 1 %).",
          "percentunit",
          [
            { expr: `service:slo_availability_errors:ratio_rate1h{${s}}`, legend: "5xx share" },
            { expr: `service:slo_latency_errors:ratio_rate1h{${s}}`, legend: "slower than 250 ms" },
          ],
        ),
      ],
    },
    {
      title: "Latency",
      panels: [
        timeseries("Latency p50 / p99", "Request duration quantiles (the SSE stream excluded).", "s", [
          { expr: `service:http_request_duration_seconds:p50_rate5m{${s}}`, legend: "p50" },
          { expr: `service:http_request_duration_seconds:p99_rate5m{${s}}`, legend: "p99" },
        ]),
        timeseries("p99 latency by route", "The slowest 1 % of requests, per route pattern.", "s", [
          { expr: `service_route:http_request_duration_seconds:p99_rate5m{${s}}`, legend: "{{route}}" },
        ]),
      ],
    },
  ];
}

function saturation(s: string): Panel[] {
  return [
    timeseries(
      "CPU",
      "CPU seconds per second used by the process (1 = one core), per instance.",
      "percentunit",
      [{ expr: `rate(process_cpu_seconds_total{${s}}[$__rate_interval])`, legend: "{{instance}}" }],
      8,
    ),
    timeseries(
      "Memory (RSS)",
      "Resident memory of the process, per instance.",
      "bytes",
      [{ expr: `process_resident_memory_bytes{${s}}`, legend: "{{instance}}" }],
      8,
    ),
    timeseries(
      "Event-loop lag p99",
      "How late timers fire: above ~100 ms the process is CPU-bound or blocked.",
      "s",
      [{ expr: `nodejs_eventloop_lag_p99_seconds{${s}}`, legend: "{{instance}}" }],
      8,
    ),
  ];
}
