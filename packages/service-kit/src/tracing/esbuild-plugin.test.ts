import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterEach, describe, expect, it } from "vitest";
import { tracingPlugin } from "./esbuild-plugin.ts";

let dir = "";
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** An entry importing a stand-in `pino` package of the given version, bundled with the plugin. */
async function bundle(version: string, main = "pino.js"): Promise<string> {
  dir = mkdtempSync(join(tmpdir(), "flotilla-plugin-"));
  mkdirSync(join(dir, "node_modules/pino"), { recursive: true });
  writeFileSync(join(dir, "node_modules/pino/package.json"), JSON.stringify({ name: "pino", version, main }));
  writeFileSync(join(dir, "node_modules/pino", main), main.endsWith(".mjs") ? "export default () => 1;" : "module.exports = () => 1;");
  writeFileSync(join(dir, "entry.js"), 'import pino from "pino"; console.log(pino());');
  const result = await build({
    entryPoints: [join(dir, "entry.js")],
    bundle: true,
    platform: "node",
    format: "esm",
    write: false,
    logLevel: "silent",
    plugins: [tracingPlugin()],
  });
  return result.outputFiles[0]?.text ?? "";
}

describe("the bundler's tracing plugin", () => {
  it("ends a supported instrumented package's file with the run-time hook", async () => {
    const text = await bundle("10.4.0");
    expect(text).toMatch(/module\.exports = p\(module\.exports, "pino", "", "10\.4\.0"\)/);
  });

  it("fails the build when an instrumented package would go untraced (unsupported version)", async () => {
    await expect(bundle("4.0.0")).rejects.toThrow(/pino@4\.0\.0 is bundled but none of its instrumented files was hooked/);
  });

  it("fails the build on an ES-module build of an instrumented file", async () => {
    await expect(bundle("10.4.0", "pino.mjs")).rejects.toThrow(/pino\/pino\.mjs is an ES module/);
  });
});
