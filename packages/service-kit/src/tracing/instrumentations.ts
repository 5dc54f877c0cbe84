import { FastifyOtelInstrumentation } from "@fastify/otel";
import type { Instrumentation } from "@opentelemetry/instrumentation";
import { GrpcInstrumentation } from "@opentelemetry/instrumentation-grpc";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { IORedisInstrumentation } from "@opentelemetry/instrumentation-ioredis";
import { MongoDBInstrumentation } from "@opentelemetry/instrumentation-mongodb";
import { MySQL2Instrumentation } from "@opentelemetry/instrumentation-mysql2";
import { PinoInstrumentation } from "@opentelemetry/instrumentation-pino";

/** The kit's probes and Prometheus' scrape: every few seconds, never worth a trace. */
export const UNTRACED_PATHS: ReadonlySet<string> = new Set(["/healthz", "/readyz", "/metrics"]);

/** The names a log line carries the active span under (Flotilla's camelCase, like reqId). */
export const LOG_KEYS = { traceId: "traceId", spanId: "spanId", traceFlags: "traceFlags" } as const;

/**
 * Every library the fleet traces, declared once: the runtime registers these, and the bundler's
 * plugin (esbuild-plugin.ts) reads their module definitions to know which bundled files to hook.
 * Probes and scrapes are ignored, and the http instrumentation suppresses tracing inside an ignored
 * request, so readiness checks (store's database pings) make no spans. MongoDB and Redis spans need a
 * parent (a request); mysql2's instrumentation has no such option, so store's MySQL migrations at
 * start are root spans of their own. Statements are recorded without values (mysql2 masked,
 * MongoDB's default, Redis by command name).
 */
export function createInstrumentations(enabled = true): Instrumentation[] {
  const untraced = (path: string | undefined) => UNTRACED_PATHS.has((path ?? "").split("?", 1)[0] ?? "");
  return [
    new HttpInstrumentation({ enabled, ignoreIncomingRequestHook: (request) => untraced(request.url) }),
    new FastifyOtelInstrumentation({
      enabled,
      registerOnInitialization: true,
      instrumentHooks: false,
      ignorePaths: (route) => untraced(route.url),
    }),
    new GrpcInstrumentation({ enabled }),
    new MySQL2Instrumentation({ enabled, maskStatement: true }),
    new MongoDBInstrumentation({ enabled, requireParentSpan: true }),
    new IORedisInstrumentation({ enabled, requireParentSpan: true, dbStatementSerializer: (command) => command }),
    new PinoInstrumentation({ enabled, disableLogSending: true, logKeys: LOG_KEYS }),
  ];
}
