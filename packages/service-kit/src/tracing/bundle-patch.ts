import type { InstrumentationBase } from "@opentelemetry/instrumentation";
import { satisfies } from "semver";

/**
 * In an esbuild bundle no module is loaded through Node's loader, so the instrumentations' hooks
 * never see one. The bundler's plugin (esbuild-plugin.ts) ends each file an instrumentation
 * patches with a call to the function stored under this symbol, which exists only while tracing
 * is on: off, the call finds nothing and the library is left as it is.
 */
export const BUNDLE_PATCH = Symbol.for("flotilla.tracing.bundle-patch");

/** What the plugin appends to a hooked file (a CommonJS module: `module.exports`). */
export function bundleHookSource(name: string, file: string, version: string): string {
  const args = [name, file, version].map((s) => JSON.stringify(s)).join(",");
  return `\n;{const p=globalThis[Symbol.for("flotilla.tracing.bundle-patch")];if(p)module.exports=p(module.exports,${args});}\n`;
}

type Patcher = (exports: unknown, name: string, file: string, version: string) => unknown;

/**
 * Stores the patcher: what Node's require hook would have done for this file (the module's own
 * patch for its main file, each matching file patch for the others), for the enabled
 * instrumentations, in order. `file` is "" for a package's main module.
 */
export function installBundlePatch(instrumentations: InstrumentationBase[]): void {
  const patcher: Patcher = (exports, name, file, version) => {
    let patched = exports;
    for (const instrumentation of instrumentations) {
      if (!instrumentation.isEnabled()) continue;
      for (const module of instrumentation.getModuleDefinitions()) {
        const supported = (ranges: string[]) =>
          ranges.some((range) => satisfies(version, range, { includePrerelease: module.includePrerelease }));
        if (module.name !== name && !module.files.some((f) => f.name === `${name}/${file}`)) continue;
        module.moduleVersion = version;
        if (file === "" && module.name === name && module.patch && supported(module.supportedVersions)) {
          module.moduleExports = patched;
          patched = module.patch(patched, version) ?? patched;
        }
        for (const f of module.files) {
          if (f.name !== `${name}/${file}` || !supported(f.supportedVersions)) continue;
          f.moduleExports = patched;
          patched = f.patch(patched, version) ?? patched;
        }
      }
    }
    return patched;
  };
  (globalThis as Record<symbol, unknown>)[BUNDLE_PATCH] = patcher;
}
