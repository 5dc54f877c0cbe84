import { mkdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { python3 } from "../lib/python.ts";
import { scratch } from "../lib/scratch.ts";

const script = new URL("release-values.py", import.meta.url).pathname;
const files = scratch("gitops-release-values");

const render = (valuesFrom: object[]) =>
  [
    "kind: HelmRelease",
    "metadata: {name: flotilla, namespace: flotilla-dev}",
    "spec:",
    "  chart: {spec: {valuesFiles: [deploy/helm/flotilla/values.yaml, deploy/flux/apps/dev/flotilla-values.yaml]}}",
    `  valuesFrom: ${JSON.stringify(valuesFrom)}`,
    "  values: {serviceDefaults: {replicas: 1}}",
    "---",
    "kind: ConfigMap",
    "metadata: {name: flotilla-values}",
    "data: {images.yaml: 'global: {imageRegistry: r.example}'}",
  ].join("\n");

describe("ci/gitops/release-values.py", () => {
  it("the release's values as helm -f arguments, in helm-controller's order, and its namespace", async () => {
    const out = files.path("ok");
    mkdirSync(out);
    const r = await python3([
      script,
      files.write("apps.yaml", render([{ kind: "ConfigMap", name: "flotilla-values", valuesKey: "images.yaml" }])),
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toEqual([
      "-f",
      "deploy/helm/flotilla/values.yaml",
      "-f",
      "deploy/flux/apps/dev/flotilla-values.yaml",
      "-f",
      `${out}/values-from-0-images.yaml`,
      "-f",
      `${out}/inline.json`,
    ]);
    expect(readFileSync(`${out}/values-from-0-images.yaml`, "utf8")).toBe("global: {imageRegistry: r.example}");
    expect(JSON.parse(readFileSync(`${out}/inline.json`, "utf8"))).toEqual({ serviceDefaults: { replicas: 1 } });
    expect(readFileSync(`${out}/namespace`, "utf8")).toBe("flotilla-dev\n");
  });

  it("a valuesFrom the render does not have: exit 1, named", async () => {
    mkdirSync(files.path("bad"));
    const r = await python3([script, files.write("bad.yaml", render([{ kind: "ConfigMap", name: "missing" }])), files.path("bad")]);
    expect(r).toMatchObject({ code: 1, stderr: "valuesFrom ConfigMap/missing key values.yaml: not in the render\n" });
  });
});
