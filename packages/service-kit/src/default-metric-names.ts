import type { Registry } from "prom-client";

/**
 * prom-client's default metrics include three gauges named like counters (`_total`), which
 * `promtool check metrics` rejects (prometheus/client_js#283, where its maintainers lean to removing
 * them). Their values are the sums of the labelled gauges kept beside them:
 * `sum without (type) (nodejs_active_handles)` and the same for requests and resources.
 */
export const MISNAMED_DEFAULT_GAUGES = ["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"];

export function dropMisnamedDefaultGauges(registry: Registry): void {
  for (const name of MISNAMED_DEFAULT_GAUGES) registry.removeSingleMetric(name);
}
