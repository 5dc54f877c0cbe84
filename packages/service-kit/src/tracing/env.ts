import { z } from "zod";

const SAMPLERS = [
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
  "always_on",
  "always_off",
  "traceidratio",
] as const;
const PROPAGATORS = ["tracecontext", "baggage"] as const;
const DIAG_LEVELS = ["none", "error", "warn", "info", "debug", "verbose", "all"] as const;

const millis = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);
const url = z.url({ protocol: /^https?$/ });

/**
 * The OpenTelemetry variables the kit honours (the specification's names and meanings), spread
 * into commonEnv. One difference, on purpose: traces are off unless OTEL_TRACES_EXPORTER=otlp.
 */
export function tracingEnv() {
  return {
    OTEL_TRACES_EXPORTER: z
      .enum(["none", "otlp"])
      .default("none")
      .describe(
        "Tracing: `otlp` turns it on (OTLP over HTTP, protobuf). Off by default: with `none` the SDK is not even loaded and no library is patched.",
      ),
    OTEL_SDK_DISABLED: z.enum(["true", "false"]).default("false").describe("`true` turns tracing off whatever the exporter says."),
    OTEL_EXPORTER_OTLP_ENDPOINT: url
      .default("http://localhost:4318")
      .describe("Base URL of the OTLP/HTTP receiver (a collector); traces go to `<endpoint>/v1/traces`."),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url.optional().describe("Full URL for traces, used as is (overrides the base URL)."),
    OTEL_EXPORTER_OTLP_PROTOCOL: z
      .enum(["http/protobuf"])
      .default("http/protobuf")
      .describe("OTLP transport; the kit speaks OTLP/HTTP with protobuf bodies."),
    OTEL_SERVICE_NAME: z.string().min(1).optional().describe("`service.name` of the spans; the service's own name when unset."),
    OTEL_RESOURCE_ATTRIBUTES: z
      .string()
      .regex(/^[^=,\s]+=[^,]*(,[^=,\s]+=[^,]*)*$/, "expected key=value pairs separated by commas")
      .optional()
      .describe("Extra resource attributes, `key=value,key=value` (e.g. `deployment.environment.name=prod`)."),
    OTEL_TRACES_SAMPLER: z
      .enum(SAMPLERS)
      .default("parentbased_always_on")
      .describe("Which traces are recorded; parent-based ones follow the caller's decision."),
    OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1).describe("The ratio (0–1) for the `traceidratio` samplers."),
    OTEL_PROPAGATORS: z
      .string()
      .default(PROPAGATORS.join(","))
      .transform((value) => value.split(",").map((item) => item.trim()))
      .pipe(z.array(z.enum(PROPAGATORS)).min(1))
      .describe("Context propagation formats, comma-separated: `tracecontext` (W3C `traceparent`), `baggage`."),
    OTEL_BSP_SCHEDULE_DELAY: millis(60_000, 5_000).describe("Milliseconds between two exports of finished spans."),
    OTEL_BSP_MAX_QUEUE_SIZE: z.coerce
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .default(2_048)
      .describe("Finished spans kept for export; past it new ones are dropped (never blocking a request)."),
    OTEL_LOG_LEVEL: z.enum(DIAG_LEVELS).default("info").describe("Level of the SDK's own diagnostics (JSON lines on stderr)."),
  };
}

export type TracingConfig = z.infer<z.ZodObject<ReturnType<typeof tracingEnv>>>;

/** Tracing is on only when asked for (and not disabled). */
export function tracingEnabled(config: TracingConfig): boolean {
  return config.OTEL_TRACES_EXPORTER === "otlp" && config.OTEL_SDK_DISABLED !== "true";
}
