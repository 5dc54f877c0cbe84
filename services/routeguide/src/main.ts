// Tracing first (OTEL_*, off by default): its instrumentations patch libraries as they load, so
// everything else is imported after it.
import { startTracing } from "@flotilla/service-kit/tracing";

await startTracing("routeguide");
const { runService } = await import("@flotilla/service-kit");
const { buildApp } = await import("./app.ts");
const { configSchema } = await import("./config.ts");

await runService({ name: "routeguide", schema: configSchema, build: (config) => buildApp(config) });
