"""Rules for one cluster's Flux objects, beyond what the CRD schemas can say.

usage: python check-flux.py REPO_ROOT NAME=FILE...
Each NAME=FILE is the build of one Flux Kustomization of the cluster (`flux build ks NAME`),
flux-system's included, so every object is known with the Kustomization that applies it.
Checks: every Kustomization prunes, is bounded by a timeout, waits for what it applies (wait or
healthChecks), points at a source of this cluster and at a path that exists, and depends only on
Kustomizations that exist; a Kustomization applying a HelmRelease depends (transitively) on the
one creating the release's namespace, and health-checks the release; every HelmRelease retries
and rolls back (install and upgrade remediation, rollback after the last failure too), runs its
helm tests, is bounded by a timeout and takes its chart from a source of this cluster at a path
holding a Chart.yaml (rebuilt per revision when that source is git) with values files that exist;
upgrades remediate (roll back) rather than retry in place; every GitRepository of the
cluster points at one URL. Prints one line per broken rule; exit 1 if any.
"""

import pathlib
import sys

import yaml

errors: list[str] = []


def check(ok: object, msg: str) -> None:
    if not ok:
        errors.append(msg)


def ref(obj: dict) -> str:
    return f"{obj['kind']}/{obj['metadata'].get('namespace', '')}/{obj['metadata']['name']}"


def main() -> None:
    root = pathlib.Path(sys.argv[1])
    applied_by: dict[str, str] = {}  # object ref -> name of the Kustomization applying it
    objects: list[dict] = []
    for arg in sys.argv[2:]:
        name, path = arg.split("=", 1)
        for d in yaml.safe_load_all(open(path)):
            if d:
                objects.append(d)
                applied_by[ref(d)] = name
    by_kind: dict[str, list[dict]] = {}
    for d in objects:
        by_kind.setdefault(d["kind"], []).append(d)
    sources = {ref(d) for d in objects if d["kind"] in ("GitRepository", "OCIRepository", "Bucket")}
    kss = {d["metadata"]["name"]: d for d in by_kind.get("Kustomization", [])
           if d["apiVersion"].startswith("kustomize.toolkit.fluxcd.io/")}
    check(sys.argv[2:] and set(kss) == {a.split("=", 1)[0] for a in sys.argv[2:]},
          f"the builds given ({[a.split('=', 1)[0] for a in sys.argv[2:]]}) are not the cluster's Kustomizations ({sorted(kss)})")

    def deps(name: str, seen: frozenset = frozenset()) -> set[str]:
        out: set[str] = set()
        for dep in kss.get(name, {}).get("spec", {}).get("dependsOn", []):
            if dep["name"] not in seen:
                out |= {dep["name"]} | deps(dep["name"], seen | {name})
        return out

    for name, ks in kss.items():
        spec, k = ks["spec"], f"Kustomization/{name}"
        check(spec.get("prune") is True, f"{k}: prune: true (objects removed from git are deleted)")
        src = spec.get("sourceRef", {})
        src_ref = f"{src.get('kind')}/{src.get('namespace', ks['metadata'].get('namespace', ''))}/{src.get('name')}"
        check(src_ref in sources, f"{k}: source {src_ref} is not an object of this cluster")
        check((root / spec.get("path", "")).is_dir(), f"{k}: path {spec.get('path')} does not exist")
        for dep in spec.get("dependsOn", []):
            check(dep["name"] in kss, f"{k}: dependsOn {dep['name']}, which is not a Kustomization of this cluster")
        check(name not in deps(name), f"{k}: depends on itself")
        if name != "flux-system":  # bootstrap's own, as flux bootstrap writes it
            check(spec.get("wait") is True or spec.get("healthChecks"), f"{k}: wait: true or healthChecks")
            check(spec.get("timeout"), f"{k}: a timeout bounds its health checks")

    namespaces = {d["metadata"]["name"]: applied_by[ref(d)] for d in by_kind.get("Namespace", [])}
    for hr in by_kind.get("HelmRelease", []):
        spec, h = hr["spec"], f"HelmRelease/{hr['metadata'].get('namespace')}/{hr['metadata']['name']}"
        owner = applied_by[ref(hr)]
        ns = hr["metadata"].get("namespace", "")
        check(ns in namespaces, f"{h}: its namespace {ns} is created by no Kustomization of this cluster")
        if ns in namespaces and namespaces[ns] != owner:
            check(namespaces[ns] in deps(owner), f"Kustomization/{owner}: must dependsOn {namespaces[ns]} (creates {ns} for {h})")
        owner_spec = kss.get(owner, {}).get("spec", {})
        checked = any(c.get("kind") == "HelmRelease" and c.get("name") == hr["metadata"]["name"]
                      and c.get("namespace", ns) == ns for c in owner_spec.get("healthChecks", []))
        check(checked or owner_spec.get("wait") is True, f"Kustomization/{owner}: health-checks {h}")
        inst = spec.get("install", {}).get("remediation", {})
        upg = spec.get("upgrade", {}).get("remediation", {})
        check(inst.get("retries", 0) >= 1, f"{h}: install.remediation.retries >= 1")
        check(upg.get("retries", 0) >= 1, f"{h}: upgrade.remediation.retries >= 1")
        check(upg.get("strategy", "rollback") == "rollback", f"{h}: upgrade.remediation.strategy rollback")
        check(spec.get("upgrade", {}).get("strategy", {}).get("name") == "RemediateOnFailure",
              f"{h}: upgrade.strategy.name RemediateOnFailure (RetryOnFailure leaves a failed release in place)")
        check(upg.get("remediateLastFailure") is True, f"{h}: upgrade.remediation.remediateLastFailure: true")
        check(spec.get("test", {}).get("enable") is True, f"{h}: test.enable: true (helm tests gate the release)")
        check(spec.get("timeout"), f"{h}: timeout set")
        if "chartRef" in spec:
            # a chart artifact (an OCI registry): its source must verify the chart's signature
            cref = spec["chartRef"]
            cref_id = f"{cref.get('kind')}/{cref.get('namespace', ns)}/{cref.get('name')}"
            check(cref_id in sources, f"{h}: chartRef {cref_id} is not an object of this cluster")
            csource = next((d for d in objects if ref(d) == cref_id), {})
            check(csource.get("spec", {}).get("verify", {}).get("provider") == "cosign",
                  f"{h}: chartRef {cref_id} does not verify the chart's signature (spec.verify.provider: cosign)")
            continue
        chart = spec.get("chart", {}).get("spec", {})
        csrc = chart.get("sourceRef", {})
        csrc_ref = f"{csrc.get('kind')}/{csrc.get('namespace', ns)}/{csrc.get('name')}"
        check(csrc_ref in sources, f"{h}: chart source {csrc_ref} is not an object of this cluster")
        check((root / chart.get("chart", "") / "Chart.yaml").is_file(), f"{h}: chart {chart.get('chart')} has no Chart.yaml")
        for vf in chart.get("valuesFiles", []):
            check((root / vf).is_file(), f"{h}: values file {vf} does not exist")
        if csrc.get("kind") == "GitRepository":
            check(chart.get("reconcileStrategy") == "Revision",
                  f"{h}: reconcileStrategy: Revision (a chart from git changes without a version bump)")

    urls = {d["spec"]["url"] for d in by_kind.get("GitRepository", [])}
    check(len(urls) <= 1, f"the cluster's GitRepositories point at different URLs: {sorted(urls)}")

    for e in errors:
        print(e)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
