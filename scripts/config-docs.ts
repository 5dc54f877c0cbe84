// Regenerates the configuration table in each service README from the service's schema, and the
// kit README's table of the variables every service shares from commonEnv, so the docs cannot
// drift from the code. `--check` fails (exit 1) if a README is out of date.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { commonEnv, configTable, z } from "@flotilla/service-kit";

const START = "<!-- config:start -->";
const END = "<!-- config:end -->";
const check = process.argv.includes("--check");
const root = new URL("..", import.meta.url).pathname;
let stale = 0;

const tables: Array<{ name: string; readme: string; schema: () => Promise<z.ZodObject | undefined> }> = [
  // PORT's default here is only an example: each service passes its own to commonEnv.
  { name: "service-kit", readme: join(root, "packages/service-kit/README.md"), schema: async () => z.object(commonEnv({ port: 8080 })) },
];
for (const service of readdirSync(join(root, "services"))) {
  const schemaFile = join(root, "services", service, "src", "config.ts");
  const readme = join(root, "services", service, "README.md");
  if (!existsSync(schemaFile) || !existsSync(readme)) continue;
  const schema = async () => ((await import(pathToFileURL(schemaFile).href)) as { configSchema?: z.ZodObject }).configSchema;
  tables.push({ name: service, readme, schema });
}

for (const { name, readme, schema } of tables) {
  const configSchema = await schema();
  if (!configSchema) continue;
  const text = readFileSync(readme, "utf8");
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) {
    console.error(`${name}: README.md has no ${START} … ${END} markers`);
    stale++;
    continue;
  }
  const updated = `${text.slice(0, start + START.length)}\n${configTable(configSchema)}\n${text.slice(end)}`;
  if (updated === text) continue;
  stale++;
  if (check) console.error(`${name}: README.md configuration table is out of date; run npm run docs:config`);
  else {
    writeFileSync(readme, updated);
    console.log(`${name}: README.md configuration table updated`);
  }
}
if (check && stale > 0) process.exit(1);
