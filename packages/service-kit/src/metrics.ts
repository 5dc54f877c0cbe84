import type { FastifyInstance } from "fastify";
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import { z } from "zod";

/** RED metrics (rate, errors, duration) for HTTP, on a registry of the service's own. */
export interface HttpMetrics {
  registry: Registry;
  observe(method: string, route: string, status: number, seconds: number): void;
}

export function createHttpMetrics(service: string): HttpMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests served, by method, route pattern and status code.",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration in seconds, by method, route pattern and status code.",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  // Label lookups hash their arguments on every call; the set of (method, route, status) is
  // small and fixed, so resolve each child once.
  const children = new Map<string, { count: () => void; time: (seconds: number) => void }>();
  return {
    registry,
    observe(method, route, status, seconds) {
      const key = `${method} ${route} ${status}`;
      let child = children.get(key);
      if (!child) {
        const labels = { method, route, status: String(status) };
        const c = requests.labels(labels);
        const h = duration.labels(labels);
        child = { count: () => c.inc(), time: (value) => h.observe(value) };
        children.set(key, child);
      }
      child.count();
      child.time(seconds);
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
