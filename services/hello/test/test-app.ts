import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, type Service } from "@flotilla/service-kit";
import { buildApp } from "../src/app.ts";
import { configSchema } from "../src/config.ts";

/** An in-process hello with its own TMPDIR and silent logs, from environment-style values. */
export async function testApp(env: Record<string, string>): Promise<{ app: Service; close: () => Promise<void> }> {
  const config = loadConfig(configSchema, { TMPDIR: mkdtempSync(join(tmpdir(), "hello-test-")), LOG_LEVEL: "silent", ...env });
  const app = await buildApp(config);
  return { app, close: () => app.close() };
}
