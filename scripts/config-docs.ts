// Regenerates the configuration table in each service README from the service's schema, and the
// kit README's table of the variables every service shares from commonEnv, so the docs cannot
// drift from the code. `--check` fails (exit 1) if a README is out of date. (npm run generate
// runs it with every other generator.)
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { commonEnv, configTable, z } from "@flotilla/service-kit";
import { applyDerived, type Derived } from "./generated.ts";
import { root } from "./registry.ts";

const START = "<!-- config:start -->";
const END = "<!-- config:end -->";

/** Each README with its table regenerated; a README without the markers is an error. */
export async function configDocs(): Promise<Derived> {
  const tables: Array<{ readme: string; schema: () => Promise<z.ZodObject | undefined> }> = [
    // PORT's default here is only an example: each service passes its own to commonEnv.
    { readme: "packages/service-kit/README.md", schema: async () => z.object(commonEnv({ port: 8080 })) },
  ];
  for (const service of readdirSync(join(root, "services")).sort()) {
    const schemaFile = join(root, "services", service, "src", "config.ts");
    const readme = `services/${service}/README.md`;
    if (!existsSync(schemaFile) || !existsSync(join(root, readme))) continue;
    const schema = async () => ((await import(pathToFileURL(schemaFile).href)) as { configSchema?: z.ZodObject }).configSchema;
    tables.push({ readme, schema });
  }
  const files = new Map<string, string>();
  for (const { readme, schema } of tables) {
    const configSchema = await schema();
    if (!configSchema) continue;
    const text = readFileSync(join(root, readme), "utf8");
    const start = text.indexOf(START);
    const end = text.indexOf(END);
    if (start < 0 || end < start) throw new Error(`${readme} has no ${START} … ${END} markers`);
    files.set(readme, `${text.slice(0, start + START.length)}\n${configTable(configSchema)}\n${text.slice(end)}`);
  }
  return { files };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const stale = applyDerived(root, await configDocs(), { check: process.argv.includes("--check"), fix: "npm run docs:config" });
  if (process.argv.includes("--check") && stale > 0) process.exit(1);
}
