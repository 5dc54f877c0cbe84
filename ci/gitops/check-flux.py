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
cluster points at one URL.
Upstream charts (a HelmRepository source: deploy/flux/infrastructure/upstream): the chart's version
is pinned exactly (X.Y.Z, no range: Renovate proposes each update as a change); a HelmRelease's
dependsOn names HelmReleases of this cluster, without a cycle; a HelmRelease whose values switch on
a ServiceMonitor, PodMonitor or PrometheusRule (or whose chart makes them anyway: kube-prometheus-stack) depends (transitively) on the release of the
prometheus-operator CRDs; a Kustomization that waits for HelmReleases allows at least the longest
dependsOn chain of their timeouts. Prints one line per broken rule; exit 1 if any.
"""

import pathlib
import re
import sys

import yaml

# A bare `=` (an enum value in prometheus-operator's CRDs) is YAML 1.1's "value" tag, which PyYAML's
# safe loader has no constructor for: read it as the string it is.
yaml.SafeLoader.add_constructor("tag:yaml.org,2002:value", yaml.SafeLoader.construct_yaml_str)

errors: list[str] = []


def check(ok: object, msg: str) -> None:
    if not ok:
        errors.append(msg)


EXACT_VERSION = re.compile(r"^v?\d+\.\d+\.\d+$")
CRD_CHARTS = {"prometheus-operator-crds"}  # charts that install the monitoring.coreos.com CRDs
CRD_USER_CHARTS = {"kube-prometheus-stack"}  # make prometheus-operator objects whatever the values
CRD_USER_KEYS = re.compile(r"^(serviceMonitor|podMonitor|prometheusRule)s?$", re.I)


def seconds(duration: str) -> int:
    """A Go duration as Flux writes them (90s, 5m, 1h30m, 5m0s) in whole seconds."""
    parts = re.findall(r"(\d+)(h|m|s)", duration or "")
    return sum(int(n) * {"h": 3600, "m": 60, "s": 1}[u] for n, u in parts)


def uses_monitoring_crds(values: object) -> bool:
    """Whether Helm values switch on an object of the prometheus-operator CRDs."""
    if isinstance(values, dict):
        for k, v in values.items():
            if CRD_USER_KEYS.match(str(k)) and isinstance(v, dict) and v.get("enabled") is True:
                return True
            if uses_monitoring_crds(v):
                return True
    elif isinstance(values, list):
        return any(uses_monitoring_crds(v) for v in values)
    return False


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
    sources = {ref(d) for d in objects if d["kind"] in ("GitRepository", "OCIRepository", "Bucket", "HelmRepository")}
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
        if csrc.get("kind") == "HelmRepository":
            check(EXACT_VERSION.match(str(chart.get("version", ""))),
                  f"{h}: chart {chart.get('chart')} version {chart.get('version')!r} is not pinned (X.Y.Z)")
        else:
            check((root / chart.get("chart", "") / "Chart.yaml").is_file(), f"{h}: chart {chart.get('chart')} has no Chart.yaml")
        for vf in chart.get("valuesFiles", []):
            check((root / vf).is_file(), f"{h}: values file {vf} does not exist")
        if csrc.get("kind") == "GitRepository":
            check(chart.get("reconcileStrategy") == "Revision",
                  f"{h}: reconcileStrategy: Revision (a chart from git changes without a version bump)")

    # HelmReleases among themselves: dependsOn, the CRDs first, time enough for the chain
    hrs = {f"{d['metadata'].get('namespace', '')}/{d['metadata']['name']}": d for d in by_kind.get("HelmRelease", [])}

    def hr_deps(key: str) -> list[str]:
        ns = key.split("/", 1)[0]
        return [f"{d.get('namespace', ns)}/{d['name']}" for d in hrs[key]["spec"].get("dependsOn", [])]

    def hr_closure(key: str, seen: frozenset = frozenset()) -> set[str]:
        out: set[str] = set()
        for dep in hr_deps(key):
            if dep in hrs and dep not in seen:
                out |= {dep} | hr_closure(dep, seen | {key})
        return out

    def chain(key: str, seen: frozenset = frozenset()) -> int:
        own = seconds(hrs[key]["spec"].get("timeout", "5m"))
        return own + max([chain(d, seen | {key}) for d in hr_deps(key) if d in hrs and d not in seen] or [0])

    crd_releases = {k for k, d in hrs.items() if d["spec"].get("chart", {}).get("spec", {}).get("chart") in CRD_CHARTS}
    for key, hr in hrs.items():
        h = f"HelmRelease/{key}"
        for dep in hr_deps(key):
            check(dep in hrs, f"{h}: dependsOn {dep}, which is not a HelmRelease of this cluster")
        check(key not in hr_closure(key), f"{h}: depends on itself")
        chart_name = hr["spec"].get("chart", {}).get("spec", {}).get("chart")
        if (chart_name in CRD_USER_CHARTS or uses_monitoring_crds(hr["spec"].get("values", {}))) and key not in crd_releases:
            check(crd_releases & hr_closure(key),
                  f"{h}: its values make prometheus-operator objects: must dependsOn the CRDs' release ({sorted(crd_releases) or 'none in this cluster'})")
    for name, ks in kss.items():
        waited = [k for k in hrs if applied_by[ref(hrs[k])] == name]
        if waited and (ks["spec"].get("wait") is True or ks["spec"].get("healthChecks")):
            need = max(chain(k) for k in waited)
            check(seconds(ks["spec"].get("timeout", "")) >= need,
                  f"Kustomization/{name}: timeout {ks['spec'].get('timeout')} is shorter than its HelmReleases' longest dependsOn chain ({need // 60}m)")

    urls = {d["spec"]["url"] for d in by_kind.get("GitRepository", [])}
    check(len(urls) <= 1, f"the cluster's GitRepositories point at different URLs: {sorted(urls)}")

    for e in errors:
        print(e)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
