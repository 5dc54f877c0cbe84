import { mkdirSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { python3 } from "../lib/python.ts";
import { scratch } from "../lib/scratch.ts";

// The upstream charts' part of renovate-covers.py: each HelmRelease's pinned chart must be among
// what Renovate's flux manager extracted.
const script = new URL("renovate-covers.py", import.meta.url).pathname;
const tmp = scratch("renovate-covers");
const MANAGERS = [
  "npm",
  "gomod",
  "pip_requirements",
  "terraform",
  "github-actions",
  "circleci",
  "dockerfile",
  "docker-compose",
  "helm-values",
  "regex",
];

const run = (fluxDeps: { depName: string; currentValue: string }[]) => {
  const repo = tmp.path("repo");
  mkdirSync(`${repo}/tools`, { recursive: true });
  writeFileSync(`${repo}/tools/x.sh`, "X_VERSION=v1.2.3\n");
  mkdirSync(`${repo}/deploy/flux/infrastructure/upstream/tracing`, { recursive: true });
  writeFileSync(
    `${repo}/deploy/flux/infrastructure/upstream/tracing/jaeger.yaml`,
    "kind: HelmRelease\nspec:\n  chart:\n    spec:\n      chart: jaeger\n      version: 4.11.1\n",
  );
  const files: Record<string, unknown[]> = Object.fromEntries(
    MANAGERS.map((m) => [m, [{ packageFile: "a", deps: [{ currentValue: "1" }] }]]),
  );
  files.regex = [{ packageFile: "tools/x.sh", deps: [{ currentValue: "v1.2.3" }] }];
  files.flux = [{ packageFile: "f.yaml", deps: fluxDeps }];
  const log = tmp.write("extract.log", `${JSON.stringify({ msg: "extract", packageFiles: files })}\n`);
  return python3([script, log, repo]);
};

describe("ci/fork/renovate-covers.py: upstream charts", () => {
  it("passes when the flux manager extracted the pinned chart", async () => {
    expect(await run([{ depName: "jaeger", currentValue: "4.11.1" }])).toMatchObject({ code: 0 });
  });
  it("fails when the flux manager did not extract it (or another version)", async () => {
    const r = await run([{ depName: "jaeger", currentValue: "4.11.0" }]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("chart jaeger 4.11.1 is not extracted by Renovate's flux manager");
  });
  it("fails when the flux manager extracted nothing at all", async () => {
    expect((await run([])).stderr).toContain("manager flux: extracted no dependency");
  });
});
