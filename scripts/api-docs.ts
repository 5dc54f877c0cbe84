// Writes each kit service's OpenAPI 3.1 document (what it serves at /openapi.json, generated from
// its route schemas) to docs/api/<name>.json, after a maintained validator accepted it.
// `--check` changes nothing and fails (exit 1) when a committed copy is out of date or invalid.
//   node scripts/api-docs.ts [--check]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { loadConfig, type Service, type z } from "@flotilla/service-kit";
import { openApiProblems } from "@flotilla/test-support";
import { applyDerived, type Derived } from "./generated.ts";
import { type Member, readRegistry, root } from "./registry.ts";

/** Builds the member in-process on its defaults (any listener on an ephemeral port, any data in a temp dir). */
export async function buildMember(member: Member): Promise<{ app: Service; dispose: () => Promise<void> }> {
  const dir = join(root, member.dir);
  const { buildApp } = (await import(pathToFileURL(join(dir, "src/app.ts")).href)) as {
    buildApp: (config: unknown) => Promise<Service>;
  };
  const { configSchema } = (await import(pathToFileURL(join(dir, "src/config.ts")).href)) as { configSchema: z.ZodObject };
  const tmp = mkdtempSync(join(tmpdir(), `flotilla-api-${member.name}-`));
  const env = {
    LOG_LEVEL: "silent",
    HOST: "127.0.0.1",
    PORT: "0",
    GRPC_PORT: "0",
    BACKEND_PORT: "0",
    DATA_DIR: join(tmp, "data"),
    TMPDIR: tmp,
  };
  const app = await buildApp(loadConfig(configSchema, env));
  return {
    app,
    dispose: async () => {
      await app.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** The document as the running service serves it. */
export async function documentOf(app: Service): Promise<object> {
  return (await app.inject({ method: "GET", url: "/openapi.json" })).json();
}

export const serialise = (doc: object) => `${JSON.stringify(doc, null, 2)}\n`;

/** Each kit member's document; an invalid one is an error naming every problem. */
export async function apiDocs(): Promise<Derived> {
  const files = new Map<string, string>();
  for (const member of readRegistry().filter((m) => m.openapi)) {
    const { app, dispose } = await buildMember(member);
    const doc = await documentOf(app);
    await dispose();
    const problems = await openApiProblems(doc);
    if (problems.length > 0) throw new Error(`${member.name}: the OpenAPI document is invalid:\n${problems.join("\n")}`);
    files.set(member.openapi as string, serialise(doc));
  }
  // docs/api holds only these: a removed service's document is a stray
  return { files, owned: ["docs/api"] };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const check = process.argv.includes("--check");
  const stale = applyDerived(root, await apiDocs(), { check, fix: "npm run docs:api" });
  process.exit(check && stale > 0 ? 1 : 0);
}
