import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readRegistry, root } from "./registry.ts";

// npm run new-service in a copy of what it reads and edits: a scaffold that fails must leave the
// tree exactly as it was (file for file), whether it fails before its first write or after.
let copy: string;
let scratch: string;

function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, "utf8"));
    }
  };
  walk(dir);
  return out;
}

function scaffold(env: Record<string, string>): { status: number; output: string } {
  try {
    const output = execFileSync(process.execPath, [join(copy, "scripts/new-service.ts"), "zeta"], {
      cwd: copy,
      env: { ...process.env, ...env },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    return { status: 0, output };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { status: err.status, output: `${err.stdout}${err.stderr}` };
  }
}

beforeEach(() => {
  copy = mkdtempSync(join(tmpdir(), "new-service-"));
  scratch = mkdtempSync(join(tmpdir(), "new-service-scratch-"));
  const files = [
    "package.json",
    "package-lock.json",
    "compose.yaml",
    "deploy/helm/flotilla/values.yaml",
    "packages/service-kit/package.json",
    "scripts/new-service.ts",
    "scripts/helm.ts",
    "scripts/registry.ts",
    "tools/k8s.sh",
    "tools/lib/tools.sh",
    ...readRegistry().map((m) => `${m.dir}/package.json`),
  ];
  for (const f of files) {
    mkdirSync(dirname(join(copy, f)), { recursive: true });
    cpSync(join(root, f), join(copy, f));
  }
});
afterEach(() => {
  rmSync(copy, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

describe("npm run new-service, failing", () => {
  it("without helm and no way to build it: says what to install and writes nothing", () => {
    const before = snapshot(copy);
    // an empty tool cache, and a Go that can fetch no module (offline, empty module cache)
    const result = scaffold({
      FLOTILLA_CACHE: join(scratch, "cache"),
      GOPROXY: "off",
      GOMODCACHE: join(scratch, "gomod"),
      GOFLAGS: "-mod=mod",
    });
    expect(result.status).toBe(2);
    expect(result.output).toMatch(/helm v\S+ is needed/);
    expect(result.output).toMatch(/install Go/);
    expect(result.output).toMatch(/nothing was changed/);
    expect(snapshot(copy)).toEqual(before);
  });

  it("when a step after its first write fails (npm install): puts every file back", () => {
    const before = snapshot(copy);
    const bin = join(scratch, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "npm"), "#!/bin/sh\necho 'npm: no registry here' >&2\nexit 1\n");
    chmodSync(join(bin, "npm"), 0o755);
    const result = scaffold({ FLOTILLA_HELM: "/bin/true", PATH: `${bin}:${process.env.PATH}` });
    expect(result.output).toMatch(/services\/zeta written/); // it did write, then failed
    expect(result.status).toBe(2);
    expect(result.output).toMatch(/npm install .* failed .* nothing was changed/);
    expect(snapshot(copy)).toEqual(before);
  });

  it("the comparison can fail: a scaffold that succeeds up to npm changes the tree (control)", () => {
    const before = snapshot(copy);
    const bin = join(scratch, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "npm"), "#!/bin/sh\nexit 0\n"); // npm and generate stubbed to succeed
    chmodSync(join(bin, "npm"), 0o755);
    writeFileSync(join(copy, "scripts/generate.ts"), "process.exit(0);\n");
    const result = scaffold({ FLOTILLA_HELM: "/bin/true", PATH: `${bin}:${process.env.PATH}` });
    expect(result.status).toBe(0);
    const after = snapshot(copy);
    expect(after).not.toEqual(before);
    expect(after.get("services/zeta/package.json")).toContain('"name": "@flotilla/zeta"');
  });
});
