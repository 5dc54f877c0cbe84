import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Kit, loadConfig } from "@flotilla/service-kit";
import { buildApp } from "../src/app.ts";
import { configSchema } from "../src/config.ts";

/** An in-process hello with its own TMPDIR and silent logs, from environment-style values. */
export async function testApp(env: Record<string, string>): Promise<Kit> {
  const config = loadConfig(configSchema, { TMPDIR: mkdtempSync(join(tmpdir(), "hello-test-")), LOG_LEVEL: "silent", ...env });
  return buildApp(config);
}
