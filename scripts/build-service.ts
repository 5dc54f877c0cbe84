// Bundles the service in the current directory (services/<name>) into dist/ with esbuild:
// dist/main.mjs (plus any extra entries), dist/healthcheck.mjs, the service's proto/ and data/
// folders, and — for native addons esbuild cannot bundle — the packages named in
// package.json "flotilla.external" with their production dependencies in dist/node_modules.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";
import { tracingPlugin } from "@flotilla/service-kit/tracing/esbuild-plugin";
import { build } from "esbuild";
import { bundleOptions } from "./bundle-options.ts";
import { readRegistry, root } from "./registry.ts";

const serviceDir = process.cwd();
const member = readRegistry().find((m) => join(root, m.dir) === serviceDir);
if (!member) throw new Error(`build-service: ${serviceDir} is not a member of the registry (no "flotilla" manifest)`);
const outdir = join(serviceDir, "dist");
const external = member.external;
const require = createRequire(join(serviceDir, "package.json"));

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

const entryPoints: Record<string, string> = {
  main: "src/main.ts",
  ...member.entries,
  healthcheck: require.resolve("@flotilla/service-kit/healthcheck"),
};

const result = await build({
  entryPoints,
  outdir,
  outExtension: { ".js": ".mjs" },
  ...bundleOptions(member),
  format: "esm",
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: "eof",
  metafile: true,
  // Tracing's hook in each file an instrumentation patches (the bundle has no module loader to hook).
  plugins: [tracingPlugin()],
  logLevel: "warning",
  // CommonJS dependencies call require() for Node built-ins; give the ESM bundle one.
  banner: { js: "import { createRequire as __flotillaRequire } from 'node:module'; const require = __flotillaRequire(import.meta.url);" },
});

for (const folder of ["proto", "data"]) {
  if (existsSync(join(serviceDir, folder))) cpSync(join(serviceDir, folder), join(outdir, folder), { recursive: true });
}

/** The folder of an installed package, found the way Node looks (its `exports` may hide package.json). */
function packageDir(name: string, from: string): string | undefined {
  for (const base of createRequire(join(from, "noop.js")).resolve.paths(name) ?? []) {
    if (existsSync(join(base, name, "package.json"))) return join(base, name);
  }
  return undefined;
}

/** Copies a package and, recursively, the dependencies it needs at run time. */
function copyWithDependencies(name: string, from: string, seen: Set<string>): void {
  const dir = packageDir(name, from);
  if (!dir) return; // an optional dependency for another platform
  if (seen.has(dir)) return;
  seen.add(dir);
  cpSync(dir, join(outdir, "node_modules", name), { recursive: true, dereference: true });
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
  };
  for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
    copyWithDependencies(dep, dir, seen);
  }
}
const seen = new Set<string>();
for (const name of external) copyWithDependencies(name, serviceDir, seen);

for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (!file.endsWith(".mjs")) continue;
  console.log(`${relative(process.cwd(), resolve(file))}  ${(output.bytes / 1024).toFixed(1)} KiB`);
}
if (seen.size > 0) console.log(`dist/node_modules: ${seen.size} packages (${external.join(", ")} and their dependencies)`);
if (!statSync(join(outdir, "main.mjs")).isFile()) throw new Error("build produced no dist/main.mjs");
