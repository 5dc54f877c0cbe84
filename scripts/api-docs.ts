// Writes each kit service's OpenAPI 3.1 document (what it serves at /openapi.json, generated from
// its route schemas) to docs/api/<name>.json, after a maintained validator accepted it.
// `--check` changes nothing and fails (exit 1) when a committed copy is out of date or invalid.
//   node scripts/api-docs.ts [--check]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { loadConfig, type Service, type z } from "@flotilla/service-kit";
import { openApiProblems } from "@flotilla/test-support";
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const check = process.argv.includes("--check");
  let failed = 0;
  for (const member of readRegistry().filter((m) => m.openapi)) {
    const file = join(root, member.openapi as string);
    const { app, dispose } = await buildMember(member);
    const doc = await documentOf(app);
    await dispose();
    const problems = await openApiProblems(doc);
    if (problems.length > 0) {
      console.error(`${member.name}: the OpenAPI document is invalid:\n${problems.join("\n")}`);
      failed++;
      continue;
    }
    let committed = "";
    try {
      committed = readFileSync(file, "utf8");
    } catch {}
    if (committed === serialise(doc)) continue;
    if (check) {
      console.error(`${member.name}: ${member.openapi} is out of date; run npm run docs:api`);
      failed++;
    } else {
      writeFileSync(file, serialise(doc));
      console.log(`${member.name}: ${member.openapi} written`);
    }
  }
  process.exit(failed > 0 ? 1 : 0);
}
