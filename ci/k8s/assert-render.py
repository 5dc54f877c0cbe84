"""Semantic checks on rendered manifests, beyond what JSON schemas can say.

usage: python assert-render.py PROFILE FILE
PROFILE is default | full | base | dev | prod | flux-dev | flux-prod | flux-local: generic rules apply to every profile
(restricted Pod Security, probes on real routes, wiring between objects), per-service rules
check what each service needs (web's upstreams, stats' SSE Ingress, routeguide's backend,
store's secrets and migrations), and the profile adds what that render must contain (counts,
replicas, HPA, TLS...). Prints one line per failed rule; exit 1 if any.
"""

import json
import pathlib
import re
import subprocess
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]

CHART = ROOT / "deploy/helm/flotilla"
VALUES_FULL = ROOT / "deploy/helm/flotilla/tests/values/full.yaml"
# What each profile renders from: the chart's values (plus values-full), and for the Kustomize
# profiles what their kustomization does to the base (no test Pods; dev: no HPA/PDB, 1 replica;
# prod: HPA minimum 3; both add a Namespace). tls, digest and the routeguide backend mode are what
# each profile is meant to show.
PROFILES = {
    "default": {"values": [], "tests": True, "tls": False, "digest": False, "backend": "sidecar"},
    "full": {"values": [VALUES_FULL], "tests": True, "tls": True, "digest": True, "backend": "statefulset"},
    "base": {"values": [], "tests": False, "tls": False, "digest": False, "backend": "sidecar"},
    "dev": {"values": [], "tests": False, "tls": False, "digest": False, "backend": "sidecar", "namespace": True,
            "scaling": "off", "max_cpu_request_m": 25},
    "prod": {"values": [], "tests": False, "tls": True, "digest": False, "backend": "sidecar", "namespace": True,
             "hpa_min": 3},
    # The chart rendered with the values of deploy/flux's HelmReleases (ci/tier-gitops.sh): the
    # Namespace comes from Flux's infrastructure, the test Pods gate every release.
    "flux-dev": {"values": [ROOT / "deploy/flux/apps/dev/flotilla-values.yaml"], "tests": True, "tls": False,
                 "digest": False, "backend": "sidecar", "max_cpu_request_m": 25},
    "flux-prod": {"values": [ROOT / "deploy/flux/apps/prod/flotilla-values.yaml"], "tests": True, "tls": True,
                  "digest": False, "backend": "sidecar"},
    "flux-local": {"values": [ROOT / "deploy/flux/apps/local/release/flotilla-values.yaml"], "tests": True,
                   "tls": False, "digest": False, "backend": "sidecar"},
}


def reference(values_files: list[pathlib.Path]) -> list[dict]:
    """The chart rendered by helm itself with the profile's values: what the values ask for, read
    from helm's output rather than worked out again here (the chart's own tests, deploy/helm/
    flotilla/tests, pin that output). Images do not matter to the rules: any registry will do."""
    args = ["helm", "template", "flotilla", str(CHART), "-n", "flotilla", "--set", "global.imageRegistry=flotilla"]
    for f in values_files:
        args += ["-f", str(f)]
    res = subprocess.run(args, capture_output=True, text=True)
    if res.returncode:
        sys.exit(f"helm template with the profile's values failed:\n{res.stderr}")
    return [d for d in yaml.safe_load_all(res.stdout) if d]


def expected(profile: str) -> dict:
    """Counts per kind, replicas per workload, the HPA minimum and the traced units: those of the
    chart's render with the profile's values, less what the profile's Kustomize layer removes
    (test hooks; dev: HPA/PDB, one replica) or adds (a Namespace; prod: HPA minimum 3)."""
    want = dict(PROFILES[profile])
    ref = reference(want["values"])
    off = want.get("scaling") == "off"
    kinds: dict[str, int] = {}
    for d in ref:
        kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
    for kind in ("Pod", "Job", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Namespace", "DaemonSet",
                 "PodMonitor", "PrometheusRule", "StatefulSet", "Secret", "Ingress", "ConfigMap"):
        kinds.setdefault(kind, 0)
    if not want["tests"]:
        kinds["Pod"] = 0
        kinds["Job"] -= sum(d["kind"] == "Job" and d["metadata"]["annotations"].get("helm.sh/hook") == "test" for d in ref)
    if off:
        kinds["HorizontalPodAutoscaler"] = kinds["PodDisruptionBudget"] = 0
    if want.get("namespace"):
        kinds["Namespace"] = 1
    want["kinds"] = kinds
    workloads = [d for d in ref if d["kind"] in ("Deployment", "StatefulSet") and not is_exporter(d)]
    units = [service_of(w["metadata"]["name"]) for w in workloads]
    hpa = {} if off else {service_of(h["spec"]["scaleTargetRef"]["name"]): h["spec"]["minReplicas"]
                          for h in ref if h["kind"] == "HorizontalPodAutoscaler"}
    want["units"] = units
    want["traced"] = {service_of(w["metadata"]["name"]) for w in workloads
                      if any(e["name"] == "OTEL_SERVICE_NAME" for e in w["spec"]["template"]["spec"]["containers"][0].get("env", []))}
    want["replicas"] = {service_of(w["metadata"]["name"]): 1 if off else w["spec"].get("replicas") for w in workloads}
    want["hpa_min"] = {u: want.get("hpa_min", m) for u, m in hpa.items()}
    return want


def registry_members() -> list[str]:
    """The fleet, from the one registry (scripts/registry.ts)."""
    node = ROOT / "node_modules/.bin/node"
    out = subprocess.run([str(node), str(ROOT / "scripts/registry.ts"), "names"], check=True, capture_output=True, text=True)
    return out.stdout.split()


def routes_of(member: str) -> set[str]:
    """GET routes a member serves: its OpenAPI document (docs/api/), or nginx's exact locations (web)."""
    doc = ROOT / "docs/api" / f"{member}.json"
    if doc.exists():
        return {path for path, ops in json.loads(doc.read_text())["paths"].items() if "get" in ops}
    return set(re.findall(r"location = (/\S+) \{", (ROOT / "deploy/nginx/templates/web.conf.template").read_text()))


def image_user(dockerfile: str) -> int:
    """The numeric uid of the final stage's USER line: what runAsUser must equal."""
    users = re.findall(r"^USER\s+(\d+)", (ROOT / "deploy/docker" / dockerfile).read_text(), re.M)
    return int(users[-1])


UID = {"web": image_user("web.Dockerfile")}
NODE_UID = image_user("node-service.Dockerfile")

errors: list[str] = []


def check(ok: object, msg: str) -> None:
    if not ok:
        errors.append(msg)


def matches(selector: dict, labels: dict) -> bool:
    return all(labels.get(k) == v for k, v in (selector or {}).items())


def millicores(q: str) -> float:
    q = str(q)
    return float(q[:-1]) if q.endswith("m") else float(q) * 1000


def service_of(name: str) -> str:
    """flotilla-routeguide-backend -> routeguide-backend (objects are named <release>-<service>)."""
    return name.split("-", 1)[1]


def env_of(c: dict) -> dict:
    return {e["name"]: e for e in c.get("env", [])}


def check_pod(where: str, spec: dict, uid: int, tmp: bool = True) -> None:
    psc = spec.get("securityContext", {})
    check(spec.get("automountServiceAccountToken") is False, f"{where}: automountServiceAccountToken must be false")
    check(psc.get("runAsNonRoot") is True, f"{where}: pod runAsNonRoot")
    check(psc.get("seccompProfile", {}).get("type") == "RuntimeDefault", f"{where}: pod seccomp RuntimeDefault")
    for c in spec.get("containers", []) + spec.get("initContainers", []):
        cw = f"{where}/{c['name']}"
        sc = c.get("securityContext", {})
        check(sc.get("allowPrivilegeEscalation") is False, f"{cw}: allowPrivilegeEscalation false")
        check(sc.get("readOnlyRootFilesystem") is True, f"{cw}: readOnlyRootFilesystem true")
        check(sc.get("capabilities", {}).get("drop") == ["ALL"], f"{cw}: capabilities drop ALL")
        check(sc.get("runAsUser", psc.get("runAsUser")) == uid, f"{cw}: runs as the image's uid {uid}")
        res = c.get("resources", {})
        for kind in ("requests", "limits"):
            check({"cpu", "memory"} <= set(res.get(kind, {})), f"{cw}: resources.{kind} cpu+memory")
        for m in c.get("volumeMounts", []):
            check("subPath" not in m, f"{cw}: subPath mount {m['mountPath']} never updates")
        vols = {v["name"]: v for v in spec.get("volumes", [])}
        for m in c.get("volumeMounts", []):
            if m["mountPath"] == "/tmp":
                check(bool(vols.get(m["name"], {}).get("emptyDir", {}).get("sizeLimit")),
                      f"{cw}: /tmp is an emptyDir with sizeLimit")
        if tmp:  # the helm test Pod only runs a fetch given to node inline (--eval): it writes nothing
            check("/tmp" in {m["mountPath"] for m in c.get("volumeMounts", [])}, f"{cw}: writable /tmp mounted")


def check_probes(w: str, svc: str, c: dict) -> None:
    routes = routes_of(svc.removesuffix("-backend"))  # a backend is the service's own image
    ports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
    for kind in ("startupProbe", "livenessProbe", "readinessProbe"):
        p = c.get(kind)
        check(p, f"{w}/{c['name']}: {kind}")
        if not p:
            continue
        if "httpGet" in p:
            check(p["httpGet"]["path"] in routes, f"{w}/{c['name']}: {kind} on {p['httpGet']['path']}, "
                                                  f"not a route of {svc} {sorted(routes)}")
            check(p["httpGet"]["port"] in ports, f"{w}/{c['name']}: {kind} port {p['httpGet']['port']} is declared")
        elif "grpc" in p:
            check(p["grpc"]["port"] in ports.values(), f"{w}/{c['name']}: {kind} gRPC port {p['grpc']['port']} is declared")
        else:
            check(False, f"{w}/{c['name']}: {kind} is httpGet or grpc")
    live = c.get("livenessProbe", {}).get("httpGet", {}).get("path")
    check(live == "/healthz", f"{w}/{c['name']}: liveness on /healthz (never on readiness or a dependency)")


def is_exporter(wl: dict) -> bool:
    return wl["metadata"]["labels"].get("app.kubernetes.io/name", "").endswith("-exporter")


def check_exporter(wl: dict, nps: list[dict]) -> None:
    """A database exporter: restricted pod, one replica, probes on its port, only Prometheus in."""
    w = f"Deployment/{wl['metadata']['name']}"
    spec = wl["spec"]
    ps = spec["template"]["spec"]
    check_pod(w, ps, 65534, tmp=False)
    check(spec.get("replicas") == 1, f"{w}: one replica")
    c = ps["containers"][0]
    ports = {p["name"] for p in c.get("ports", [])}
    for kind in ("livenessProbe", "readinessProbe"):
        check(c.get(kind, {}).get("httpGet", {}).get("port") in ports, f"{w}: {kind} on a declared port")
    labels = spec["template"]["metadata"]["labels"]
    mine = [n for n in nps if matches(n["spec"]["podSelector"]["matchLabels"], labels)]
    check(len(mine) == 1 and all("namespaceSelector" in p for r in mine[0]["spec"]["ingress"] for p in r["from"]),
          f"{w}: one NetworkPolicy, letting only Prometheus (another namespace) in")
    for e in c.get("env", []):
        if "secretKeyRef" in e.get("valueFrom", {}):
            check("CKV_K8S_35" in str(wl["metadata"].get("annotations", {})), f"{w}: secret {e['name']} from env without a stated reason")


def alert_for(values_files: list) -> dict:
    """monitoring.prometheusOperator.alertFor of the profile's values: the `for` an environment gives
    the alerts it names (the rule files stay as they are)."""
    out: dict = {}
    for f in values_files:
        v = yaml.safe_load(pathlib.Path(f).read_text()) or {}
        out.update(((v.get("monitoring") or {}).get("prometheusOperator") or {}).get("alertFor") or {})
    return out


def check_monitoring(by_kind: dict, pods_by_svc: dict, for_overrides: dict | None = None) -> None:
    """PodMonitors select real pods and ports; the PrometheusRule and the dashboards ConfigMap
    carry exactly deploy/monitoring's files; the log collector reads pod logs read-only."""
    for pm in by_kind.get("PodMonitor", []):
        w = f"PodMonitor/{pm['metadata']['name']}"
        sel = pm["spec"]["selector"]["matchLabels"]
        pods = [p for p in pods_by_svc.values() if matches(sel, p["labels"])]
        check(len(pods) == 1, f"{w}: selects the pods of one workload")
        if pods:
            ps = pods[0]["spec"]
            ports = {p["name"] for c in ps["containers"] + ps.get("initContainers", []) for p in c.get("ports", [])}
            for ep in pm["spec"]["podMetricsEndpoints"]:
                check(ep["port"] in ports, f"{w}: port {ep['port']} is a port of the pod")
                job = [r.get("replacement") for r in ep.get("relabelings", []) if r.get("targetLabel") == "job"]
                check(job and job[0] in ("flotilla", "mysql", "redis", "mongodb"), f"{w}: job label is one the rules use ({job})")
    rules_dir = ROOT / "deploy/monitoring/rules"
    for pr in by_kind.get("PrometheusRule", []):
        want = [g for f in sorted(rules_dir.glob("*.yml")) for g in yaml.safe_load(f.read_text())["groups"]]
        for g in want:
            for r in g["rules"]:
                if r.get("alert") in (for_overrides or {}):
                    r["for"] = for_overrides[r["alert"]]
        check(pr["spec"]["groups"] == want, f"PrometheusRule/{pr['metadata']['name']}: groups == deploy/monitoring/rules")
    dash_dir = ROOT / "deploy/monitoring/grafana/dashboards"
    for cm in by_kind.get("ConfigMap", []):
        if cm["metadata"]["name"].endswith("-dashboards"):
            want = {f.name: f.read_text().rstrip("\n") for f in dash_dir.glob("*.json")}
            check(cm["data"] == want, f"ConfigMap/{cm['metadata']['name']}: one key per dashboard, equal to deploy/monitoring's")
            check(cm["metadata"]["labels"].get("grafana_dashboard") == "1", "dashboards ConfigMap: labelled for Grafana's sidecar")
    for ds in by_kind.get("DaemonSet", []):
        w = f"DaemonSet/{ds['metadata']['name']}"
        ps = ds["spec"]["template"]["spec"]
        pods_by_svc[service_of(ds["metadata"]["name"])] = {"labels": ds["spec"]["template"]["metadata"]["labels"], "spec": ps,
                                                          "kind": "DaemonSet", "spec_all": ds["spec"]}
        check(ds["metadata"].get("namespace") not in (None, "flotilla"), f"{w}: in its own namespace, not the restricted one")
        check(ps.get("automountServiceAccountToken") is False, f"{w}: no API token")
        for c in ps["containers"]:
            sc = c.get("securityContext", {})
            check(sc.get("readOnlyRootFilesystem") is True and sc.get("allowPrivilegeEscalation") is False
                  and sc.get("capabilities", {}).get("drop") == ["ALL"], f"{w}/{c['name']}: read-only root, no escalation, no capabilities")
            check(all(m.get("readOnly") for m in c.get("volumeMounts", [])), f"{w}/{c['name']}: every mount read-only")
        hostpaths = [v["hostPath"]["path"] for v in ps.get("volumes", []) if "hostPath" in v]
        check(hostpaths == ["/var/log/pods"], f"{w}: the only host path is /var/log/pods ({hostpaths})")


def main() -> None:
    profile, path = sys.argv[1], sys.argv[2]
    want = expected(profile)
    helm = profile in ("default", "full") or profile.startswith("flux-")
    if profile == "default":
        units = want["units"]
        members = registry_members()
        check(sorted(u for u in units if not u.endswith("-backend")) == sorted(members),
              f"the chart's enabled services {sorted(units)} are the registry's members {sorted(members)}")
    docs = [d for d in yaml.safe_load_all(open(path)) if d]
    by_kind: dict[str, list[dict]] = {}
    for d in docs:
        by_kind.setdefault(d["kind"], []).append(d)
    for kind, n in want["kinds"].items():
        check(len(by_kind.get(kind, [])) == n, f"expected {n} {kind}, got {len(by_kind.get(kind, []))}")
    names = {(d["kind"], d["metadata"]["name"]) for d in docs}
    services = {s["metadata"]["name"]: s for s in by_kind.get("Service", [])}
    nps = by_kind.get("NetworkPolicy", [])

    for d in docs:
        labels = d["metadata"].get("labels", {})
        if d["kind"] != "Namespace":
            check("app.kubernetes.io/name" in labels and "app.kubernetes.io/part-of" in labels,
                  f"{d['kind']}/{d['metadata']['name']}: recommended labels")
        check(labels.get("app.kubernetes.io/managed-by") == ("Helm" if helm else "kustomize"),
              f"{d['kind']}/{d['metadata']['name']}: managed-by label")

    for sa in by_kind.get("ServiceAccount", []):
        check(sa.get("automountServiceAccountToken") is False, f"ServiceAccount/{sa['metadata']['name']}: token automount off")

    for pod in by_kind.get("Pod", []):
        name = pod["metadata"]["name"]
        check(pod["metadata"].get("annotations", {}).get("helm.sh/hook") == "test", f"Pod/{name}: is a helm test hook")
        image = pod["spec"]["containers"][0]["image"]
        check_pod(f"Pod/{name}", pod["spec"], UID.get(image.rsplit("/", 1)[-1].split("@")[0].split(":")[0], NODE_UID),
                  tmp=False)

    for job in by_kind.get("Job", []):
        name = job["metadata"]["name"]
        check(job["metadata"].get("annotations", {}).get("helm.sh/hook"), f"Job/{name}: is a Helm hook (Jobs are immutable)")
        check(job["spec"]["template"]["spec"].get("restartPolicy") == "Never", f"Job/{name}: restartPolicy Never")
        check(isinstance(job["spec"].get("activeDeadlineSeconds"), int), f"Job/{name}: activeDeadlineSeconds bounds it")
        check_pod(f"Job/{name}", job["spec"]["template"]["spec"], NODE_UID)
        tpl_labels = job["spec"]["template"]["metadata"]["labels"]
        check(not any(matches(s["spec"]["selector"], tpl_labels) for s in services.values()),
              f"Job/{name}: its pods are not selected by a Service")

    workloads = by_kind.get("Deployment", []) + by_kind.get("StatefulSet", [])
    pods_by_svc: dict[str, dict] = {}
    exporters = [w for w in workloads if is_exporter(w)]
    for wl in exporters:
        check_exporter(wl, nps)
        pods_by_svc[service_of(wl["metadata"]["name"])] = {"labels": wl["spec"]["template"]["metadata"]["labels"],
                                                            "spec": wl["spec"]["template"]["spec"], "kind": "Deployment",
                                                            "spec_all": wl["spec"]}
    for wl in (w for w in workloads if not is_exporter(w)):
        name = wl["metadata"]["name"]
        svc = service_of(name)
        w = f"{wl['kind']}/{name}"
        spec, tpl = wl["spec"], wl["spec"]["template"]
        ps = tpl["spec"]
        pod_labels = tpl["metadata"]["labels"]
        pods_by_svc[svc] = {"labels": pod_labels, "spec": ps, "kind": wl["kind"], "spec_all": spec}
        check(spec.get("replicas") == want["replicas"].get(svc, "?"),
              f"{w}: replicas {spec.get('replicas')} != {want['replicas'].get(svc, '?')}")
        if wl["kind"] == "Deployment":
            ru = spec.get("strategy", {}).get("rollingUpdate", {})
            check(ru.get("maxUnavailable") == 0 and ru.get("maxSurge") == 1, f"{w}: RollingUpdate 0/1")
        else:
            check(("Service", spec.get("serviceName")) in names, f"{w}: serviceName is an existing Service")
        check(isinstance(spec.get("revisionHistoryLimit"), int), f"{w}: revisionHistoryLimit set")
        check(matches(spec["selector"]["matchLabels"], pod_labels), f"{w}: selector matches pod labels")
        check_pod(w, ps, UID.get(svc, NODE_UID))
        check(ps.get("terminationGracePeriodSeconds") == 30, f"{w}: terminationGracePeriodSeconds 30")
        check(ps.get("affinity", {}).get("podAntiAffinity") or ps.get("topologySpreadConstraints"),
              f"{w}: spread replicas across nodes")
        vols = {v["name"]: v for v in ps.get("volumes", [])}
        for c in ps["containers"] + ps.get("initContainers", []):
            cw = f"{w}/{c['name']}"
            env = env_of(c)
            for var, field in (("POD_NAME", "metadata.name"), ("POD_NAMESPACE", "metadata.namespace"),
                               ("NODE_NAME", "spec.nodeName")):
                check(env.get(var, {}).get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") == field,
                      f"{cw}: {var} from downward API {field}")
            check(env.get("CONTAINER_IMAGE", {}).get("value") == c["image"], f"{cw}: CONTAINER_IMAGE == image")
            check("@sha256:" in c["image"] if want["digest"] else ":" in c["image"], f"{cw}: image by digest={want['digest']}")
            grace = int(env.get("SHUTDOWN_GRACE_MS", {}).get("value", "20000"))
            check(grace < ps["terminationGracePeriodSeconds"] * 1000, f"{cw}: SHUTDOWN_GRACE_MS below the grace period")
            check_probes(w, svc if c in ps["containers"] else f"{svc}-backend", c)
            check(env.get("PORT", {}).get("value") == str(c["ports"][0]["containerPort"]), f"{cw}: PORT == its http port")
            for k, e in env.items():
                check(not re.search(r"(PASSWORD|SECRET|TOKEN)$", k) or "valueFrom" in e,
                      f"{cw}: secret {k} as a plain env value")
                check("secretKeyRef" not in e.get("valueFrom", {}), f"{cw}: secret {k} from env (files only)")
            otel = {k: e.get("value", "") for k, e in env.items() if k.startswith("OTEL_")}
            if svc in want["traced"]:
                as_name = svc if c in ps["containers"] else f"{svc}-backend"
                check(otel.get("OTEL_TRACES_EXPORTER") == "otlp" and otel.get("OTEL_SERVICE_NAME") == as_name
                      and "$(POD_NAME)" in otel.get("OTEL_RESOURCE_ATTRIBUTES", ""), f"{cw}: traces as {as_name} (monitoring.tracing)")
            else:
                check(not otel, f"{cw}: no OTEL_* variables while it does not trace ({sorted(otel)})")
            if "max_cpu_request_m" in want:
                check(millicores(c["resources"]["requests"]["cpu"]) <= want["max_cpu_request_m"], f"{cw}: dev cpu request lowered")
        c = ps["containers"][0]
        env = env_of(c)
        mounts = {m["mountPath"]: m for m in c.get("volumeMounts", [])}
        cm_vols = [v for v in vols.values() if "configMap" in v]
        for v in cm_vols:
            check(("ConfigMap", v["configMap"]["name"]) in names, f"{w}: ConfigMap {v['configMap']['name']} exists")
        if "MESSAGES_FILE" in env:
            mf = env["MESSAGES_FILE"]["value"]
            mount = mounts.get(mf.rsplit("/", 1)[0], {})
            check(mount.get("name") in {v["name"] for v in cm_vols}, f"{w}: MESSAGES_FILE dir is the ConfigMap mount")
        # The service's own ConfigMap rolls its pods on change; the fleet's fault file (values
        # `faults`) must not: the kit reloads it, and a drill is no rollout.
        if any(not v["configMap"]["name"].endswith("-faults") for v in cm_vols):
            check("checksum/config" in tpl["metadata"].get("annotations", {}), f"{w}: checksum/config annotation")
        for fc in ps["containers"] + ps.get("initContainers", []):
            fenv = env_of(fc).get("FAULTS_FILE")
            if fenv is None:
                continue
            check(not profile.endswith("prod"), f"{w}/{fc['name']}: no fault switch in prod (FAULTS_FILE set)")
            fdir = fenv.get("value", "").rsplit("/", 1)[0]
            fmount = next((m for m in fc.get("volumeMounts", []) if m["mountPath"] == fdir), {})
            check(vols.get(fmount.get("name"), {}).get("configMap", {}).get("name", "").endswith("-faults") and fmount.get("readOnly"),
                  f"{w}/{fc['name']}: FAULTS_FILE is in the faults ConfigMap's read-only directory mount")
        # *_FILE secrets: each points into a mounted Secret volume, never a ConfigMap
        secret_dirs = {m["mountPath"] for m in c.get("volumeMounts", []) if "secret" in vols.get(m["name"], {})}
        for k, e in env.items():
            if k.endswith("PASSWORD_FILE"):
                check(e.get("value", "").rsplit("/", 1)[0] in secret_dirs, f"{w}: {k} is a file in a Secret volume")

        sel = lambda obj_sel: matches(obj_sel, pod_labels)  # noqa: E731
        check(any(sel(s["spec"]["selector"]) for s in services.values()), f"{w}: a Service selects it")
        check(any(sel(n["spec"]["podSelector"]["matchLabels"]) for n in nps), f"{w}: a NetworkPolicy selects it")

    check_monitoring(by_kind, pods_by_svc, alert_for(PROFILES[profile]["values"]))

    for s in services.values():
        check(s["spec"]["type"] == "ClusterIP", f"Service/{s['metadata']['name']}: ClusterIP")
        check(any(matches(s["spec"]["selector"], p["labels"]) for p in pods_by_svc.values()),
              f"Service/{s['metadata']['name']}: selects a workload")
    for n in nps:
        check(n["spec"]["policyTypes"] == ["Ingress"], f"NetworkPolicy/{n['metadata']['name']}: Ingress policy")
        check(any(matches(n["spec"]["podSelector"]["matchLabels"], p["labels"]) for p in pods_by_svc.values()),
              f"NetworkPolicy/{n['metadata']['name']}: selects a workload")
    for pdb in by_kind.get("PodDisruptionBudget", []):
        check(any(matches(pdb["spec"]["selector"]["matchLabels"], p["labels"]) for p in pods_by_svc.values()),
              f"PDB/{pdb['metadata']['name']}: selects a workload")
    for hpa in by_kind.get("HorizontalPodAutoscaler", []):
        hs, hn = hpa["spec"], hpa["metadata"]["name"]
        ref = hs["scaleTargetRef"]
        check((ref["kind"], ref["name"]) in names, f"HPA/{hn}: targets an existing {ref['kind']}/{ref['name']}")
        check(hs["minReplicas"] == want["hpa_min"].get(service_of(ref["name"])) and hs["maxReplicas"] >= hs["minReplicas"],
              f"HPA/{hn}: min {hs['minReplicas']} (want {want['hpa_min'].get(service_of(ref['name']))}), max above it")
        check(hs["metrics"][0]["resource"]["name"] == "cpu", f"HPA/{hn}: on CPU")

    def admitted(target: str, client: str, port: str | None = None) -> bool:
        """Some NetworkPolicy of `target` lets the pods of `client` in (on `port`)."""
        labels = pods_by_svc[client]["labels"]
        for n in nps:
            if not matches(n["spec"]["podSelector"]["matchLabels"], pods_by_svc[target]["labels"]):
                continue
            for rule in n["spec"]["ingress"]:
                peers = [p for p in rule["from"] if "namespaceSelector" not in p]
                if any(matches(p.get("podSelector", {}).get("matchLabels"), labels) for p in peers):
                    if port is None or port in {p["port"] for p in rule["ports"]}:
                        return True
        return False

    def svc_port(addr: str) -> tuple[dict | None, int]:
        host, port = addr.rsplit(":", 1)
        return services.get(host), int(port)

    # ---- Ingress: one host; / -> web, /stats -> stats (SSE-friendly), hello keeps /hello
    ingresses = by_kind.get("Ingress", [])
    routes: dict[str, str] = {}
    hosts = set()
    for ing in ingresses:
        w = f"Ingress/{ing['metadata']['name']}"
        check(bool(ing["spec"].get("tls")) == want["tls"], f"{w}: tls={want['tls']}")
        if want["tls"]:
            check(ing["spec"]["tls"][0]["hosts"] == [ing["spec"]["rules"][0].get("host")], f"{w}: TLS host == rule host")
        for rule in ing["spec"]["rules"]:
            hosts.add(rule.get("host"))
            for p in rule["http"]["paths"]:
                b = p["backend"]["service"]
                svc = services.get(b["name"])
                check(svc is not None and b["port"]["name"] in {x["name"] for x in svc["spec"]["ports"]},
                      f"{w}: backend {b['name']}:{b['port']} exists")
                check(p["path"] not in routes, f"{w}: path {p['path']} routed twice")
                routes[p["path"]] = service_of(b["name"])
    check(len(hosts) == 1, f"Ingress: one host for the fleet, got {sorted(map(str, hosts))}")
    check(routes.get("/") == "web" and routes.get("/stats") == "stats" and routes.get("/hello") == "hello",
          f"Ingress: / -> web, /stats -> stats, /hello -> hello (got {routes})")
    for ing in ingresses:
        if service_of(ing["metadata"]["name"]) == "stats":
            ann = ing["metadata"].get("annotations", {})
            check(ann.get("nginx.ingress.kubernetes.io/proxy-buffering") == "off", "Ingress/stats: SSE needs proxy-buffering off")
            check(int(ann.get("nginx.ingress.kubernetes.io/proxy-read-timeout", "0")) >= 3600,
                  "Ingress/stats: SSE needs a long proxy-read-timeout")
        # traefik ranks by rule length: the catch-all `/` must not outrank the exact /hello
        if any(p["path"] == "/" for r in ing["spec"]["rules"] for p in r["http"]["paths"]):
            ann = ing["metadata"].get("annotations", {})
            check(ann.get("traefik.ingress.kubernetes.io/router.priority") == "1",
                  f"Ingress/{ing['metadata']['name']}: the catch-all / needs traefik's lowest router priority")

    # ---- web: nginx upstreams are this release's Services, and their policies admit web
    if "web" in pods_by_svc:
        c = pods_by_svc["web"]["spec"]["containers"][0]
        env = env_of(c)
        check(env.get("WEB_PORT", {}).get("value") == str(c["ports"][0]["containerPort"]), "web: WEB_PORT == container port")
        for var, target in (("WEB_STATS_UPSTREAM", "stats"), ("WEB_HELLO_UPSTREAM", "hello")):
            svc, port = svc_port(env.get(var, {}).get("value", "missing:0"))
            check(svc is not None and service_of(svc["metadata"]["name"]) == target
                  and port in {p["port"] for p in svc["spec"]["ports"]}, f"web: {var} is the {target} Service and port")
            check(admitted(target, "web"), f"web: the {target} NetworkPolicy admits web's pods")

    # ---- routeguide: server + LMDB backend (sidecar per pod, or one StatefulSet)
    if "routeguide" in pods_by_svc:
        ps = pods_by_svc["routeguide"]["spec"]
        server = ps["containers"][0]
        senv = env_of(server)
        check(senv.get("ROUTEGUIDE_MODE", {}).get("value") == "server", "routeguide: server mode")
        check(server.get("readinessProbe", {}).get("grpc", {}).get("port") == 8888, "routeguide: gRPC readiness on 8888")
        rsvc = next((v for k, v in services.items() if service_of(k) == "routeguide"), None)
        check(rsvc and any(p.get("appProtocol") == "grpc" and p["targetPort"] == "grpc" for p in rsvc["spec"]["ports"]),
              "routeguide: Service exposes gRPC (appProtocol grpc)")
        for n in nps:
            if service_of(n["metadata"]["name"]) == "routeguide":
                for r in n["spec"]["ingress"]:
                    prom = any("namespaceSelector" in p and "prometheus" in str(p.get("podSelector")) for p in r["from"])
                    ports = [p["port"] for p in r["ports"]]
                    check("http" in ports if prom else ports == ["grpc"],
                          f"routeguide: NetworkPolicy gives clients gRPC only, Prometheus the metrics port ({ports})")
        addr = senv.get("BACKEND_ADDR", {}).get("value", "")
        if want["backend"] == "sidecar":
            sidecars = ps.get("initContainers", [])
            check(len(sidecars) == 1 and sidecars[0].get("restartPolicy") == "Always", "routeguide: backend is a native sidecar")
            if sidecars:
                b = sidecars[0]
                benv = env_of(b)
                check(benv.get("ROUTEGUIDE_MODE", {}).get("value") == "backend", "routeguide: sidecar in backend mode")
                grpc = {p["containerPort"] for p in b["ports"]}
                check(addr.startswith("127.0.0.1:") and int(addr.rsplit(":", 1)[1]) in grpc,
                      f"routeguide: BACKEND_ADDR {addr} is the sidecar's gRPC port")
                check(b.get("readinessProbe", {}).get("grpc", {}).get("port") == 9999, "routeguide: backend gRPC readiness on 9999")
                data = benv.get("DATA_DIR", {}).get("value")
                vols = {v["name"]: v for v in ps["volumes"]}
                mount = next((m for m in b.get("volumeMounts", []) if m["mountPath"] == data), None)
                check(mount and "emptyDir" in vols.get(mount["name"], {}), "routeguide: DATA_DIR on a per-pod emptyDir")
        else:
            check("routeguide-backend" in pods_by_svc and pods_by_svc["routeguide-backend"]["kind"] == "StatefulSet",
                  "routeguide: backend is a StatefulSet")
            check(not ps.get("initContainers"), "routeguide: no sidecar with a shared backend")
            svc, port = svc_port(addr or "missing:0")
            check(svc is not None and service_of(svc["metadata"]["name"]) == "routeguide-backend"
                  and port in {p["port"] for p in svc["spec"]["ports"]}, f"routeguide: BACKEND_ADDR {addr} is the backend Service")
            if "routeguide-backend" in pods_by_svc:
                bk = pods_by_svc["routeguide-backend"]
                b = bk["spec"]["containers"][0]
                data = env_of(b).get("DATA_DIR", {}).get("value")
                claims = {t["metadata"]["name"] for t in bk["spec_all"].get("volumeClaimTemplates", [])}
                check(any(m["mountPath"] == data and m["name"] in claims for m in b["volumeMounts"]),
                      "routeguide-backend: DATA_DIR on a PersistentVolumeClaim")
                check(admitted("routeguide-backend", "routeguide", "grpc"), "routeguide-backend: admits the server pods on gRPC")
        client_jobs = [j for j in by_kind.get("Job", []) if j["metadata"]["name"].endswith("-routeguide-client")]
        for j in client_jobs:
            jc = j["spec"]["template"]["spec"]["containers"][0]
            check(jc["command"][-1] == "/app/client.mjs", "routeguide client Job runs /app/client.mjs")
            svc, port = svc_port(env_of(jc).get("ROUTEGUIDE_ADDR", {}).get("value", "missing:0"))
            check(svc is not None and port == 8888, "routeguide client Job: ROUTEGUIDE_ADDR is the Service's gRPC port")
            jl = j["spec"]["template"]["metadata"]["labels"]
            check(any(matches(r["from"][i].get("podSelector", {}).get("matchLabels"), jl)
                      for n in nps if service_of(n["metadata"]["name"]) == "routeguide"
                      for r in n["spec"]["ingress"] for i in range(len(r["from"]))),
                  "routeguide client Job: admitted by the routeguide NetworkPolicy")

    # ---- store: embedded storage = one replica; migrations by hook Job xor at start
    if "store" in pods_by_svc:
        c = pods_by_svc["store"]["spec"]["containers"][0]
        env = {k: e.get("value") for k, e in env_of(c).items()}
        embedded = not env.get("MYSQL_HOST") or not env.get("REDIS_HOST")
        store_hpa = [h for h in by_kind.get("HorizontalPodAutoscaler", []) if h["spec"]["scaleTargetRef"]["name"].endswith("-store")]
        if embedded:
            check(pods_by_svc["store"]["spec_all"].get("replicas") == 1 and not store_hpa,
                  "store: embedded storage (no MYSQL_HOST/REDIS_HOST) must run exactly one replica, no HPA")
        migrate = [j for j in by_kind.get("Job", []) if j["metadata"]["name"].endswith("-store-migrate")]
        check((env.get("MIGRATE_ON_START") == "false") == bool(migrate),
              "store: MIGRATE_ON_START=false exactly when the migration hook Job exists")
        for j in migrate:
            check(j["metadata"]["annotations"].get("helm.sh/hook") == "pre-install,pre-upgrade", "store migrate: pre-install,pre-upgrade hook")
            jc = j["spec"]["template"]["spec"]["containers"][0]
            check(jc["command"][-1] == "/app/migrate.mjs", "store migrate: runs /app/migrate.mjs")
            # the same configuration; tracing and the fault switch aside (a one-shot migration
            # neither traces nor takes part in drills)
            same = lambda k: k not in ("CONTAINER_IMAGE", "FAULTS_FILE") and not k.startswith("OTEL_")  # noqa: E731
            jenv = {k: e.get("value") for k, e in env_of(jc).items() if same(k)}
            check(jenv == {k: v for k, v in env.items() if same(k)}, "store migrate: same env as the Deployment")
            jvols = {v["name"]: v for v in j["spec"]["template"]["spec"]["volumes"]}
            dvols = {v["name"]: v for v in pods_by_svc["store"]["spec"]["volumes"]}
            check(jvols.get("secret") == dvols.get("secret"), "store migrate: same Secret files as the Deployment")
    for cm in by_kind.get("ConfigMap", []):
        check(not any(re.search("password|secret|token", k, re.I) for k in cm.get("data", {})),
              f"ConfigMap/{cm['metadata']['name']}: no secret material in a ConfigMap")

    for ns in by_kind.get("Namespace", []):
        check(ns["metadata"]["labels"].get("pod-security.kubernetes.io/enforce") == "restricted",
              f"Namespace/{ns['metadata']['name']}: enforces restricted Pod Security")

    for e in errors:
        print(f"{profile}: {e}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
