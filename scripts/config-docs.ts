// Regenerates the configuration table in each service README from the service's schema, so
// the docs cannot drift from the code. `--check` fails (exit 1) if a README is out of date.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { configTable, type z } from "@flotilla/service-kit";

const START = "<!-- config:start -->";
const END = "<!-- config:end -->";
const check = process.argv.includes("--check");
const root = new URL("..", import.meta.url).pathname;
let stale = 0;

for (const service of readdirSync(join(root, "services"))) {
  const schemaFile = join(root, "services", service, "src", "config.ts");
  const readme = join(root, "services", service, "README.md");
  if (!existsSync(schemaFile) || !existsSync(readme)) continue;
  const { configSchema } = (await import(pathToFileURL(schemaFile).href)) as { configSchema?: z.ZodObject };
  if (!configSchema) continue;
  const text = readFileSync(readme, "utf8");
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) {
    console.error(`${service}: README.md has no ${START} … ${END} markers`);
    stale++;
    continue;
  }
  const updated = `${text.slice(0, start + START.length)}\n${configTable(configSchema)}\n${text.slice(end)}`;
  if (updated === text) continue;
  stale++;
  if (check) console.error(`${service}: README.md configuration table is out of date; run npm run docs:config`);
  else {
    writeFileSync(readme, updated);
    console.log(`${service}: README.md configuration table updated`);
  }
}
if (check && stale > 0) process.exit(1);
