import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { python3 } from "../lib/python.ts";
import { scratch } from "../lib/scratch.ts";

const script = new URL("mutate-flux.py", import.meta.url).pathname;
const tmp = scratch("mutate-flux");
const build = () =>
  tmp.write(
    "build.yaml",
    "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: a, namespace: x}\n" +
      "spec: {dependsOn: [{name: b}], chart: {spec: {version: 1.2.3}}}\n",
  );

describe("ci/gitops/mutate-flux.py", () => {
  it("sets a path to a YAML value", async () => {
    const out = tmp.path("set.yaml");
    expect(await python3([script, build(), out, "HelmRelease/x/a", 'spec.chart.spec.version=">=1"'])).toMatchObject({ code: 0 });
    expect(readFileSync(out, "utf8")).toContain("version: '>=1'");
  });

  it("deletes a path", async () => {
    const out = tmp.path("del.yaml");
    expect(await python3([script, build(), out, "HelmRelease/x/a", "spec.dependsOn!"])).toMatchObject({ code: 0 });
    expect(readFileSync(out, "utf8")).not.toContain("dependsOn");
  });

  it("fails on an object or a path that is not there, so a control never mutates nothing", async () => {
    expect((await python3([script, build(), tmp.path("o.yaml"), "HelmRelease/x/nope", "spec.x=1"])).code).not.toBe(0);
    expect((await python3([script, build(), tmp.path("o.yaml"), "HelmRelease/x/a", "spec.nothing!"])).code).not.toBe(0);
  });
});
