import type { z } from "zod";
import { ConfigError, loadConfig } from "./config.ts";
import type { Kit } from "./kit.ts";

export interface RunOptions<S extends z.ZodObject> {
  name: string;
  schema: S;
  build: (config: z.infer<S>) => Promise<Kit>;
}

/**
 * The whole life of a service process: validate configuration (every problem printed, exit 1
 * before any port is bound), build, listen, and on SIGTERM/SIGINT drain and exit 0.
 */
export async function runService<S extends z.ZodObject>({ name, schema, build }: RunOptions<S>): Promise<Kit> {
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

  const kit = await build(config);
  process.on("uncaughtException", (error) => {
    kit.log.fatal({ err: error }, "uncaught exception");
    kit.log.flush();
    process.exit(1);
  });
  process.on("unhandledRejection", (reason) => {
    kit.log.fatal({ err: reason }, "unhandled promise rejection");
    kit.log.flush();
    process.exit(1);
  });

  try {
    await kit.listen();
  } catch (error) {
    kit.log.fatal({ err: error }, `cannot listen on ${String(config.HOST)}:${String(config.PORT)}`);
    kit.log.flush();
    process.exit(1);
  }

  const stop = (signal: NodeJS.Signals) => {
    kit.log.info({ signal }, "signal received");
    kit.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        kit.log.error({ err: error }, "shutdown failed");
        kit.log.flush();
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return kit;
}
