// The fleet overview: every service's golden signals side by side, the SLOs, and the databases.
import type { Dashboard, Panel } from "@grafana/grafana-foundation-sdk/dashboard";
import { buildDashboard, stat, timeseries } from "./panels.ts";

export function fleetDashboard(services: string[]): Dashboard {
  return buildDashboard("flotilla-fleet", "Flotilla / Fleet overview", `Golden signals of ${services.join(", ")}, SLOs and databases.`, [
    {
      title: "Health",
      panels: [
        stat("Targets up", "Services Prometheus can scrape right now, of all it should.", "none", {
          expr: 'sum(up{job="flotilla"})',
          legend: "up",
        }),
        stat("Targets down", "Services Prometheus cannot scrape (FlotillaTargetDown fires after 2 minutes).", "none", {
          expr: 'count(up{job="flotilla"} == 0) or vector(0)',
          legend: "down",
        }),
        stat("Alerts firing", "Alerts currently firing in Prometheus (any severity).", "none", {
          expr: 'count(ALERTS{alertstate="firing"}) or vector(0)',
          legend: "firing",
        }),
        stat("Databases up", "MySQL, Redis and MongoDB as their exporters see them (1 each).", "none", {
          expr: "sum(mysql_up) + sum(redis_up) + sum(mongodb_up)",
          legend: "up",
        }),
      ],
    },
    {
      title: "Golden signals",
      panels: [
        timeseries(
          "Request rate",
          "HTTP requests per second, per service.",
          "reqps",
          [{ expr: "service:http_requests:rate5m", legend: "{{service}}" }],
          8,
        ),
        timeseries(
          "5xx ratio",
          "Share of HTTP answers that were server errors, per service.",
          "percentunit",
          [{ expr: "service:http_errors:ratio_rate5m", legend: "{{service}}" }],
          8,
        ),
        timeseries(
          "p99 latency",
          "The slowest 1 % of HTTP requests, per service (SSE stream excluded).",
          "s",
          [{ expr: "service:http_request_duration_seconds:p99_rate5m", legend: "{{service}}" }],
          8,
        ),
        timeseries(
          "CPU",
          "CPU cores used, per service (all instances).",
          "percentunit",
          [{ expr: "service:process_cpu_seconds:rate5m", legend: "{{service}}" }],
          8,
        ),
        timeseries(
          "Memory (RSS, largest instance)",
          "Resident memory of the largest instance, per service.",
          "bytes",
          [{ expr: "service:process_resident_memory_bytes:max", legend: "{{service}}" }],
          8,
        ),
        timeseries(
          "gRPC calls",
          "gRPC calls per second and server-side errors (routeguide).",
          "reqps",
          [
            { expr: "service:grpc_server_handled:rate5m", legend: "{{service}} calls" },
            { expr: "service:grpc_server_errors:rate5m", legend: "{{service}} errors" },
          ],
          8,
        ),
      ],
    },
    {
      title: "SLOs (30 days: availability 99.9 %, latency 99 % within 250 ms)",
      panels: [
        timeseries(
          "Availability SLI: 5xx share (1 h)",
          "Share of user requests answered with a 5xx over the last hour; the budget is 0.1 %.",
          "percentunit",
          [{ expr: "service:slo_availability_errors:ratio_rate1h", legend: "{{service}}" }],
        ),
        timeseries(
          "Latency SLI: share slower than 250 ms (1 h)",
          "Share of user requests slower than 250 ms over the last hour; the budget is 1 %.",
          "percentunit",
          [{ expr: "service:slo_latency_errors:ratio_rate1h", legend: "{{service}}" }],
        ),
      ],
    },
  ]);
}
