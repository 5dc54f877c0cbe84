import { pino } from "pino";
import type { z } from "zod";
import { ConfigError, loadConfig } from "./config.ts";
import type { Service } from "./kit.ts";
import { createLogger } from "./logger.ts";
import { stopTracing } from "./tracing/start.ts";

export interface RunOptions<S extends z.ZodObject> {
  name: string;
  schema: S;
  /** Builds the service (routes, readiness checks, other listeners) without binding its HTTP port. */
  build: (config: z.infer<S>) => Promise<Service>;
}

/** A listener that could not bind (port in use, address not available): reported in one line, never a stack. */
export class ListenError extends Error {
  readonly address: string;

  constructor(address: string, cause: unknown) {
    super(`cannot listen on ${address}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "ListenError";
    this.address = address;
  }
}

/**
 * The whole life of a service process: validate configuration (every problem printed, exit 78,
 * EX_CONFIG, before any port is bound), build, listen, and on SIGTERM/SIGINT drain and exit 0.
 * A port that cannot be bound, by the HTTP server or by any listener the build opens (gRPC),
 * is one fatal log line and exit 1.
 */
export async function runService<S extends z.ZodObject>({ name, schema, build }: RunOptions<S>): Promise<Service> {
  let config: z.infer<S>;
  try {
    config = loadConfig(schema);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(error.format(name));
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  let app: Service | undefined;
  try {
    app = await build(config);
    const address = `${String(config.HOST)}:${String(config.PORT)}`;
    const listening = await app.listen({ port: Number(config.PORT), host: String(config.HOST) }).catch((error: unknown) => {
      throw new ListenError(address, error);
    });
    app.log.info({ address: listening, version: app.serviceInfo.version }, `${name} listening`);
  } catch (error) {
    // Written synchronously: the process exits right after.
    const fatal = createLogger(name, String(config.LOG_LEVEL), pino.destination({ dest: 1, sync: true }));
    if (error instanceof ListenError) fatal.fatal({ address: error.address, reason: (error.cause as Error)?.message }, error.message);
    else fatal.fatal({ err: error }, `cannot start: ${error instanceof Error ? error.message : String(error)}`);
    await app?.close().catch(() => {});
    process.exit(1);
  }

  const service = app;
  process.on("uncaughtException", (error) => {
    service.log.fatal({ err: error }, "uncaught exception");
    service.log.flush();
    process.exit(1);
  });
  process.on("unhandledRejection", (reason) => {
    service.log.fatal({ err: reason }, "unhandled promise rejection");
    service.log.flush();
    process.exit(1);
  });

  const stop = (signal: NodeJS.Signals) => {
    service.log.info({ signal }, "signal received");
    service.shutdown().then(
      async () => {
        await stopTracing(); // the last requests' spans
        service.log.flush();
        process.exit(0);
      },
      (error: unknown) => {
        service.log.error({ err: error }, "shutdown failed");
        service.log.flush();
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return service;
}
