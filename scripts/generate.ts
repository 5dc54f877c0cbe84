// `npm run generate`: writes every derived file from its one declaration: the services' README
// configuration tables, the OpenAPI documents (docs/api), Terraform's fleet.json, the monitoring
// outputs (scrape targets, dashboards and their images, the chart's copies of the rules and
// dashboards), each environment's image repositories and its Kustomize render. Every generator runs before anything
// is written, so a failure (e.g. no helm and no Go to build it with) changes nothing.
//   npm run generate [-- NAME...]            only the generators named (default: all)
//   npm run generate -- --check [NAME...]    writes nothing; names every stale file, exit 1 if any
// Names: config-docs api-docs fleet monitoring kustomize.
import { apiDocs } from "./api-docs.ts";
import { configDocs } from "./config-docs.ts";
import { applyDerived, type Derived, merge } from "./generated.ts";
import { helm, ToolMissing } from "./helm.ts";
import { kustomizeRenders } from "./kustomize-render.ts";
import { monitoring } from "./monitoring.ts";
import { fleetJson, root } from "./registry.ts";

const GENERATORS: Record<string, () => Derived | Promise<Derived>> = {
  "config-docs": configDocs,
  "api-docs": apiDocs,
  fleet: () => fleetJson(),
  monitoring,
  kustomize: () => kustomizeRenders(helm()),
};

const args = process.argv.slice(2);
const check = args.includes("--check");
const names = args.filter((a) => a !== "--check");
const unknown = names.filter((n) => !(n in GENERATORS));
if (unknown.length > 0) {
  console.error(`generate: no generator ${unknown.join(", ")} (there are: ${Object.keys(GENERATORS).join(" ")})`);
  process.exit(2);
}
const chosen = names.length > 0 ? names : Object.keys(GENERATORS);

let derived: Derived;
try {
  derived = merge(await Promise.all(chosen.map((n) => (GENERATORS[n] as () => Derived | Promise<Derived>)())));
} catch (e) {
  const why = e instanceof ToolMissing ? e.message : String((e as Error).message ?? e);
  console.error(`generate: ${why}\ngenerate: nothing was ${check ? "checked" : "changed"}`);
  process.exit(2);
}
const fix = `npm run generate${names.length > 0 ? ` -- ${names.join(" ")}` : ""}`;
const stale = applyDerived(root, derived, { check, fix });
if (check && stale > 0) {
  console.error(`generate: ${stale} derived file${stale === 1 ? " is" : "s are"} stale (${fix})`);
  process.exit(1);
}
console.log(
  `generate: ${derived.files.size} derived files ${check ? "up to date" : stale > 0 ? `checked, ${stale} updated` : "up to date"}`,
);
process.exit(0);
