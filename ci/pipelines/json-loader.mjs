// Module hook: @actions/workflow-parser imports its JSON schema bundler-style (`import x from
// "./x.json"`, no import attribute), which Node refuses; serve such files as JS modules.
import { readFileSync } from "node:fs";
import { register } from "node:module";

if (!globalThis.__flotillaJsonHook) {
  globalThis.__flotillaJsonHook = true;
  register(import.meta.url);
}

export async function load(url, context, next) {
  if (url.endsWith(".json") && !context.importAttributes?.type) {
    return { format: "module", source: `export default ${readFileSync(new URL(url), "utf8")};`, shortCircuit: true };
  }
  return next(url, context);
}
