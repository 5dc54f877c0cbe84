import { z } from "zod";
import { ConfigError, loadConfig } from "../config.ts";
import { tracingEnabled, tracingEnv } from "./env.ts";

let stop: (() => Promise<void>) | undefined;

/**
 * Starts tracing when the OTEL_* variables ask for it (off by default: then the SDK is not even
 * loaded). Called first in a service's main.ts, before it imports anything else: instrumentations
 * patch a library as it loads, so the service's modules must load after this (dynamic imports).
 * Bad OTEL_* values end the process like any configuration problem (exit 78, every one named).
 */
export async function startTracing(service: string): Promise<void> {
  let config: z.infer<z.ZodObject<ReturnType<typeof tracingEnv>>>;
  try {
    config = loadConfig(z.object(tracingEnv()));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(error.format(service));
    process.exit(78); // EX_CONFIG, as runService
  }
  if (!tracingEnabled(config)) return;
  const { startSdk } = await import("./sdk.ts");
  stop = await startSdk(service, config);
}

/** Exports the spans still buffered and stops tracing (nothing to do when it is off). */
export async function stopTracing(): Promise<void> {
  await stop?.().catch(() => {});
}
