import { mkdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { python3 } from "../lib/python.ts";
import { scratch } from "../lib/scratch.ts";

// The rules for upstream charts (HelmRepository sources); the rest are covered by tier gitops.
const script = new URL("check-flux.py", import.meta.url).pathname;
const tmp = scratch("check-flux");
const ks = (timeout: string) =>
  "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: flux-system, namespace: flux-system}\n" +
  "spec: {prune: true, path: ./infra, sourceRef: {kind: GitRepository, name: flux-system}}\n---\n" +
  "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: infra, namespace: flux-system}\n" +
  `spec: {prune: true, wait: true, timeout: ${timeout}, path: ./infra, sourceRef: {kind: GitRepository, name: flux-system}}\n---\n` +
  "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: flux-system, namespace: flux-system}\nspec: {url: https://git.invalid/x.git}\n";
const hr = (name: string, chart: string, version: string, extra = "") =>
  `---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: ${name}, namespace: m}\nspec:\n  timeout: 5m\n` +
  `  chart: {spec: {chart: ${chart}, version: "${version}", sourceRef: {kind: HelmRepository, name: r}}}\n` +
  "  install: {remediation: {retries: 1}}\n  upgrade: {strategy: {name: RemediateOnFailure}, remediation: {retries: 1, remediateLastFailure: true}}\n" +
  `  test: {enable: true}\n${extra}`;
const infra = (...hrs: string[]) =>
  "apiVersion: v1\nkind: Namespace\nmetadata: {name: m}\n---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\n" +
  `metadata: {name: r, namespace: m}\nspec: {url: https://charts.invalid}\n${hrs.join("")}`;
const crds = hr("crds", "prometheus-operator-crds", "31.0.1");
const stack = (deps: string) => hr("stack", "kube-prometheus-stack", "88.5.3", deps);
const run = (timeout: string, ...hrs: string[]) => {
  const root = tmp.path("repo"); // the repository the Kustomizations' path ./infra is in
  mkdirSync(`${root}/infra`, { recursive: true });
  return python3([script, root, `flux-system=${tmp.write("fs.yaml", ks(timeout))}`, `infra=${tmp.write("infra.yaml", infra(...hrs))}`]);
};

describe("ci/gitops/check-flux.py: upstream charts", () => {
  it("accepts pinned charts, the CRDs first, time enough", async () => {
    expect(await run("10m", crds, stack("  dependsOn: [{name: crds}]\n"))).toMatchObject({ code: 0 });
  });
  it("rejects a version range", async () => {
    const r = await run("10m", hr("crds", "prometheus-operator-crds", "31.x"));
    expect(r.stdout).toContain("is not pinned");
  });
  it("rejects kube-prometheus-stack without the CRDs' release before it", async () => {
    expect((await run("10m", crds, stack(""))).stdout).toContain("must dependsOn the CRDs' release");
  });
  it("rejects a ServiceMonitor switched on in values without the CRDs first", async () => {
    const user = hr("nginx", "ingress-nginx", "4.15.1", "  values: {controller: {metrics: {serviceMonitor: {enabled: true}}}}\n");
    expect((await run("10m", crds, user)).stdout).toContain("must dependsOn the CRDs' release");
  });
  it("rejects a dependsOn naming no release, and a timeout below the chain", async () => {
    expect((await run("10m", crds, stack("  dependsOn: [{name: crds}, {name: ghost}]\n"))).stdout).toContain("not a HelmRelease");
    expect((await run("9m", crds, stack("  dependsOn: [{name: crds}]\n"))).stdout).toContain("longest dependsOn chain (10m)");
  });
});
