import type { Service } from "@flotilla/service-kit";
import { loadConfig } from "@flotilla/service-kit";
import { buildApp } from "../src/app.ts";
import { configSchema } from "../src/config.ts";
import type { Stores } from "../src/storage/open-stores.ts";
import { databaseEnv } from "./real-servers.ts";

export interface AppUnderTest {
  kit: Service;
  /** Every log line the service wrote, for "never logged" assertions. */
  logs: string[];
}

/** Builds the service in-process on embedded storage, or on the real servers with STORE_IT=1. */
export async function startApp(env: Record<string, string> = {}, stores?: Stores): Promise<AppUnderTest> {
  const logs: string[] = [];
  const config = loadConfig(configSchema, {
    LOG_LEVEL: "info",
    BCRYPT_COST: "4",
    DB_TIMEOUT_MS: "1000",
    ...databaseEnv(),
    ...env,
  });
  const kit = await buildApp(config, { logDestination: { write: (line: string) => void logs.push(line) }, stores });
  return { kit, logs };
}
