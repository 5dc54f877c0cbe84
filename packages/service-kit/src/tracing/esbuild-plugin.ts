import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire, isBuiltin } from "node:module";
import { dirname, join } from "node:path";
import type { InstrumentationBase } from "@opentelemetry/instrumentation";
import type { Plugin } from "esbuild";
import { satisfies } from "semver";
import { bundleHookSource } from "./bundle-patch.ts";
import { createInstrumentations } from "./instrumentations.ts";

interface Target {
  /** Version ranges under which the package's main module is patched (none: it is not). */
  main: string[];
  /** `package/relative/file.js` names an instrumentation patches, with their version ranges. */
  files: Map<string, string[]>;
}

/** The instrumented packages (not Node's built-ins, which Node's own require hook reaches). */
function targets(): Map<string, Target> {
  const found = new Map<string, Target>();
  for (const instrumentation of createInstrumentations(false) as InstrumentationBase[]) {
    for (const module of instrumentation.getModuleDefinitions()) {
      if (isBuiltin(module.name)) continue;
      const target = found.get(module.name) ?? { main: [], files: new Map<string, string[]>() };
      if (module.patch) target.main.push(...module.supportedVersions);
      for (const file of module.files) target.files.set(file.name, [...(target.files.get(file.name) ?? []), ...file.supportedVersions]);
      found.set(module.name, target);
    }
  }
  return found;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/**
 * esbuild plugin: ends every bundled file an instrumentation patches (a package's main module or
 * one of its named files, in a version the instrumentation supports) with the hook of
 * bundle-patch.ts, so tracing can patch the bundled copy at run time, and marks the bundle so the
 * runtime uses that hook. The build fails when an instrumented package is bundled with none of its
 * files hooked (a version its instrumentation does not support, or an ES-module build): tracing
 * must not go missing silently after an upgrade.
 */
export function tracingPlugin(): Plugin {
  const wanted = targets();
  const filter = new RegExp(`/node_modules/(${[...wanted.keys()].map(escape).join("|")})/`);
  return {
    name: "flotilla-tracing",
    setup(build) {
      build.initialOptions.define = { ...build.initialOptions.define, "process.env.FLOTILLA_TRACING_BUNDLE": '"1"' };
      const hooked = new Map<string, number>();
      const seen = new Map<string, string>();
      build.onLoad({ filter }, async ({ path }) => {
        const at = path.lastIndexOf("/node_modules/") + "/node_modules/".length;
        const name = [...wanted.keys()].find((n) => path.startsWith(`${n}/`, at));
        if (!name) return undefined;
        const dir = path.slice(0, at + name.length);
        const file = path.slice(dir.length + 1);
        const target = wanted.get(name) as Target;
        const { version } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string };
        seen.set(name, version);
        const isMain = target.main.length > 0 && createRequire(join(dirname(dir), "resolve.js")).resolve(name) === path;
        const ranges = isMain ? target.main : target.files.get(`${name}/${file}`);
        if (!ranges) return undefined;
        if (!ranges.some((range) => satisfies(version, range))) return undefined;
        if (/\.(mjs|mts)$/.test(file)) return { errors: [{ text: `${name}/${file} is an ES module: the tracing hook needs CommonJS` }] };
        hooked.set(name, (hooked.get(name) ?? 0) + 1);
        return { contents: (await readFile(path, "utf8")) + bundleHookSource(name, isMain ? "" : file, version), loader: "js" };
      });
      build.onEnd(() => ({
        errors: [...seen]
          .filter(([name]) => !hooked.has(name))
          .map(([name, version]) => ({ text: `${name}@${version} is bundled but none of its instrumented files was hooked` })),
      }));
    },
  };
}
