import { context, DiagLogLevel, diag, propagation, SpanKind, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { type InstrumentationBase, registerInstrumentations } from "@opentelemetry/instrumentation";
import {
  detectResources,
  hostDetector,
  resourceAttributesEnvDetector,
  resourceFromAttributes,
  serviceInstanceIdDetector,
} from "@opentelemetry/resources";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  SamplingDecision,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import { installBundlePatch } from "./bundle-patch.ts";
import type { TracingConfig } from "./env.ts";
import { createInstrumentations } from "./instrumentations.ts";

/** The OTEL_TRACES_SAMPLER names of the specification. */
function configuredSampler(config: TracingConfig): Sampler {
  const ratio = new TraceIdRatioBasedSampler(config.OTEL_TRACES_SAMPLER_ARG);
  switch (config.OTEL_TRACES_SAMPLER) {
    case "always_on":
      return new AlwaysOnSampler();
    case "always_off":
      return new AlwaysOffSampler();
    case "traceidratio":
      return ratio;
    case "parentbased_always_off":
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new ParentBasedSampler({ root: ratio });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/**
 * A client call with no parent (a readiness ping to a database, a migration, a background retry)
 * is not part of any request: not recorded, so traces are requests and their calls only.
 */
function requestScoped(inner: Sampler): Sampler {
  return {
    shouldSample: (ctx, traceId, name, kind, attributes, links) =>
      kind === SpanKind.CLIENT && !trace.getSpanContext(ctx)
        ? { decision: SamplingDecision.NOT_RECORD }
        : inner.shouldSample(ctx, traceId, name, kind, attributes, links),
    toString: () => `RequestScoped{${inner.toString()}}`,
  };
}

/** The SDK's own diagnostics as JSON lines on stderr (stdout carries the service's log lines). */
function diagnostics(service: string, level: TracingConfig["OTEL_LOG_LEVEL"]): void {
  if (level === "none") return;
  const write =
    (label: string) =>
    (message: string, ...args: unknown[]) => {
      const detail = args.length > 0 ? ` ${args.map((a) => (a instanceof Error ? a.message : JSON.stringify(a))).join(" ")}` : "";
      process.stderr.write(
        `${JSON.stringify({ level: label, time: new Date().toISOString(), service, msg: `otel: ${message}${detail}` })}\n`,
      );
    };
  const levels = {
    error: DiagLogLevel.ERROR,
    warn: DiagLogLevel.WARN,
    info: DiagLogLevel.INFO,
    debug: DiagLogLevel.DEBUG,
    verbose: DiagLogLevel.VERBOSE,
    all: DiagLogLevel.ALL,
  };
  diag.setLogger(
    { error: write("error"), warn: write("warn"), info: write("info"), debug: write("debug"), verbose: write("trace") },
    { logLevel: levels[level], suppressOverrideMessage: true },
  );
}

/**
 * Starts the OpenTelemetry SDK for the whole process: the trace provider (batching, OTLP/HTTP),
 * W3C propagation, AsyncLocalStorage context, and the instrumentations, which patch the libraries
 * as they load (Node's module hooks from source; in an esbuild bundle, the hook its plugin put into
 * each instrumented file). Returns what flushes and stops it.
 */
export async function startSdk(service: string, config: TracingConfig): Promise<() => Promise<void>> {
  diagnostics(service, config.OTEL_LOG_LEVEL);
  const resource = resourceFromAttributes({ "service.name": config.OTEL_SERVICE_NAME ?? service }).merge(
    detectResources({ detectors: [resourceAttributesEnvDetector, hostDetector, serviceInstanceIdDetector] }),
  );
  const url = config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, "")}/v1/traces`;
  const provider = new TracerProvider({
    resource,
    sampler: requestScoped(configuredSampler(config)),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url }),
        scheduledDelayMillis: config.OTEL_BSP_SCHEDULE_DELAY,
        maxQueueSize: config.OTEL_BSP_MAX_QUEUE_SIZE,
        maxExportBatchSize: Math.min(512, config.OTEL_BSP_MAX_QUEUE_SIZE),
      }),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({
      propagators: config.OTEL_PROPAGATORS.map((name) =>
        name === "baggage" ? new W3CBaggagePropagator() : new W3CTraceContextPropagator(),
      ),
    }),
  );
  trace.setGlobalTracerProvider(provider);

  const instrumentations = createInstrumentations();
  if (process.env.FLOTILLA_TRACING_BUNDLE === "1") {
    installBundlePatch(instrumentations as InstrumentationBase[]);
  } else {
    // From source, the libraries are ES-module imports as well as require()s: Node's synchronous
    // module hooks (import-in-the-middle) let the instrumentations see both.
    const { register } = await import("import-in-the-middle/register-hooks.mjs");
    register();
  }
  registerInstrumentations({ instrumentations, tracerProvider: provider });
  return () => provider.shutdown();
}
