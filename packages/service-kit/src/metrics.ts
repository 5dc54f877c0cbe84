import type { FastifyInstance } from "fastify";
import { collectDefaultMetrics, type Metric, Registry } from "prom-client";
import { z } from "zod";

/** RED metrics (rate, errors, duration) for HTTP, on a registry of the service's own. */
export interface HttpMetrics {
  registry: Registry;
  observe(method: string, route: string, status: number, seconds: number): void;
}

const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const LABELS = "by method, route pattern and status code";

/** One (method, route, status) series: requests, the sum of their durations, and a count per bucket. */
class Series {
  count = 0;
  sum = 0;
  /** Per bucket, not cumulative; a duration above the last bound is only in `count`. */
  readonly inBucket: number[] = BUCKETS.map(() => 0);
  readonly labels: { method: string; route: string; status: string };

  constructor(labels: Series["labels"]) {
    this.labels = labels;
  }

  observe(seconds: number): void {
    this.count++;
    this.sum += seconds;
    for (let i = 0; i < BUCKETS.length; i++) {
      if (seconds <= (BUCKETS[i] as number)) {
        (this.inBucket[i] as number)++;
        return;
      }
    }
  }
}

interface Value {
  value: number;
  labels: Record<string, string | number>;
  sharedLabels?: Record<string, string>;
  metricName?: string;
}

/**
 * A metric the registry exports like its own (`registerMetric` takes any object with `get()`): the
 * name, help and type, and its values computed from the series at scrape time.
 */
function exported(name: string, help: string, type: "counter" | "histogram", values: () => Value[], reset: () => void): Metric {
  const data = (v: Value[]) => ({ name, help, type, aggregator: "sum" as const, values: v });
  return {
    name,
    help,
    type,
    aggregator: "sum",
    getForPromString: async () => data(values()),
    // The JSON form has one set of labels per value, as prom-client's own histograms give.
    get: async () => data(values().map(({ sharedLabels, ...v }) => ({ ...v, labels: { ...v.labels, ...sharedLabels } }))),
    reset,
  } as unknown as Metric;
}

/**
 * `http_requests_total` and `http_request_duration_seconds`, as prom-client's Counter and Histogram
 * would export them (names, labels, buckets, text), kept in plain per-series counters: prom-client's
 * labelled children validate and hash their labels again on every call, about a microsecond per
 * request for the two, while the set of series is small and fixed. A request finds its series with
 * three map lookups of strings Fastify and node:http already hold (route pattern, method).
 */
export function createHttpMetrics(service: string): HttpMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });

  const routes = new Map<string, Map<string, Series[]>>();
  const all: Series[] = [];
  const reset = () => {
    routes.clear();
    all.length = 0;
  };
  registry.registerMetric(
    exported(
      `http_requests_total`,
      `HTTP requests served, ${LABELS}.`,
      "counter",
      () => all.map((s) => ({ value: s.count, labels: s.labels })),
      reset,
    ),
  );
  registry.registerMetric(
    exported(
      "http_request_duration_seconds",
      `HTTP request duration in seconds, ${LABELS}.`,
      "histogram",
      () =>
        all.flatMap((s): Value[] => {
          const name = "http_request_duration_seconds";
          let cumulative = 0;
          return [
            ...BUCKETS.map((le, i) => {
              cumulative += s.inBucket[i] as number;
              return { value: cumulative, labels: { le }, sharedLabels: s.labels, metricName: `${name}_bucket` };
            }),
            { value: s.count, labels: { le: "+Inf" }, sharedLabels: s.labels, metricName: `${name}_bucket` },
            { value: s.sum, labels: {}, sharedLabels: s.labels, metricName: `${name}_sum` },
            { value: s.count, labels: {}, sharedLabels: s.labels, metricName: `${name}_count` },
          ];
        }),
      reset,
    ),
  );

  return {
    registry,
    observe(method, route, status, seconds) {
      let methods = routes.get(route);
      if (!methods) routes.set(route, (methods = new Map()));
      let statuses = methods.get(method);
      if (!statuses) methods.set(method, (statuses = []));
      let series = statuses[status];
      if (!series) {
        series = new Series({ method, route, status: String(status) });
        statuses[status] = series;
        all.push(series);
      }
      series.observe(seconds);
    },
  };
}

/** Observes every response and serves `GET /metrics` (Prometheus text format). */
export function installHttpMetrics(app: FastifyInstance, metrics: HttpMetrics): void {
  app.addHook("onResponse", (request, reply, done) => {
    metrics.observe(request.method, request.routeOptions.url ?? "unmatched", reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  app.get(
    "/metrics",
    {
      schema: {
        summary: "Prometheus metrics: HTTP RED metrics, the service's own, Node.js and process metrics.",
        produces: [metrics.registry.contentType],
        response: { 200: z.string() },
      },
      // Scrapes must go on under load: that is when the numbers matter.
      config: { pressureHandler: () => undefined },
    },
    async (_request, reply) => {
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
}
