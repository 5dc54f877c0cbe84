"""Semantic checks on rendered manifests, beyond what JSON schemas can say.

usage: python assert-render.py PROFILE FILE
PROFILE is default | full | base | dev | prod: generic rules apply to every profile
(restricted Pod Security, probes, wiring between objects), the profile adds what that
render must contain (replicas, HPA, TLS...). Prints one line per failed rule; exit 1 if any.
"""

import sys

import yaml

PROFILES = {
    # kinds: exact count per kind; replicas: Deployment spec.replicas (None = unset, HPA owns it)
    "default": {"kinds": {"Deployment": 1, "Service": 1, "ConfigMap": 1, "ServiceAccount": 1,
                          "HorizontalPodAutoscaler": 1, "PodDisruptionBudget": 1,
                          "NetworkPolicy": 1, "Ingress": 1, "Pod": 1, "Namespace": 0},
                "replicas": None, "tls": False, "digest": False},
    "full": {"kinds": {"Deployment": 1, "HorizontalPodAutoscaler": 1, "PodDisruptionBudget": 1,
                       "NetworkPolicy": 1, "Ingress": 1, "Pod": 1, "Namespace": 1},
             "replicas": None, "tls": True, "digest": True, "hpa_min": 3},
    "base": {"kinds": {"Deployment": 1, "HorizontalPodAutoscaler": 1, "PodDisruptionBudget": 1,
                       "NetworkPolicy": 1, "Ingress": 1, "Pod": 0, "Namespace": 0},
             "replicas": None, "tls": False, "digest": False},
    "dev": {"kinds": {"Deployment": 1, "HorizontalPodAutoscaler": 0, "PodDisruptionBudget": 0,
                      "NetworkPolicy": 1, "Ingress": 1, "Namespace": 1},
            "replicas": 1, "tls": False, "digest": False, "max_cpu_request_m": 25},
    "prod": {"kinds": {"Deployment": 1, "HorizontalPodAutoscaler": 1, "PodDisruptionBudget": 1,
                       "NetworkPolicy": 1, "Ingress": 1, "Namespace": 1},
             "replicas": None, "tls": True, "digest": False, "hpa_min": 3},
}

errors: list[str] = []


def check(ok: bool, msg: str) -> None:
    if not ok:
        errors.append(msg)


def matches(selector: dict, labels: dict) -> bool:
    return all(labels.get(k) == v for k, v in (selector or {}).items())


def millicores(q: str) -> float:
    q = str(q)
    return float(q[:-1]) if q.endswith("m") else float(q) * 1000


def check_pod(where: str, spec: dict) -> None:
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
        check(sc.get("runAsUser", psc.get("runAsUser")) == 65532, f"{cw}: runs as uid 65532")
        res = c.get("resources", {})
        for kind in ("requests", "limits"):
            check({"cpu", "memory"} <= set(res.get(kind, {})), f"{cw}: resources.{kind} cpu+memory")
        for m in c.get("volumeMounts", []):
            check("subPath" not in m, f"{cw}: subPath mount {m['mountPath']} never updates")


def main() -> None:
    profile, path = sys.argv[1], sys.argv[2]
    want = PROFILES[profile]
    docs = [d for d in yaml.safe_load_all(open(path)) if d]
    by_kind: dict[str, list[dict]] = {}
    for d in docs:
        by_kind.setdefault(d["kind"], []).append(d)
    for kind, n in want["kinds"].items():
        check(len(by_kind.get(kind, [])) == n, f"expected {n} {kind}, got {len(by_kind.get(kind, []))}")
    names = {(d["kind"], d["metadata"]["name"]) for d in docs}

    for d in docs:
        labels = d["metadata"].get("labels", {})
        if d["kind"] != "Namespace":
            check("app.kubernetes.io/name" in labels and "app.kubernetes.io/part-of" in labels,
                  f"{d['kind']}/{d['metadata']['name']}: recommended labels")
        check(labels.get("app.kubernetes.io/managed-by") == ("Helm" if profile in ("default", "full") else "kustomize"),
              f"{d['kind']}/{d['metadata']['name']}: managed-by label")

    for sa in by_kind.get("ServiceAccount", []):
        check(sa.get("automountServiceAccountToken") is False, f"ServiceAccount/{sa['metadata']['name']}: token automount off")

    for pod in by_kind.get("Pod", []):
        name = pod["metadata"]["name"]
        check(pod["metadata"].get("annotations", {}).get("helm.sh/hook") == "test", f"Pod/{name}: is a helm test hook")
        check_pod(f"Pod/{name}", pod["spec"])

    for dep in by_kind.get("Deployment", []):
        name = dep["metadata"]["name"]
        w = f"Deployment/{name}"
        spec, tpl = dep["spec"], dep["spec"]["template"]
        pod_labels = tpl["metadata"]["labels"]
        check(spec.get("replicas") == want["replicas"], f"{w}: replicas {spec.get('replicas')} != {want['replicas']}")
        ru = spec.get("strategy", {}).get("rollingUpdate", {})
        check(ru.get("maxUnavailable") == 0 and ru.get("maxSurge") == 1, f"{w}: RollingUpdate 0/1")
        check(isinstance(spec.get("revisionHistoryLimit"), int), f"{w}: revisionHistoryLimit set")
        check(matches(spec["selector"]["matchLabels"], pod_labels), f"{w}: selector matches pod labels")
        ps = tpl["spec"]
        check_pod(w, ps)
        check(ps.get("terminationGracePeriodSeconds") == 30, f"{w}: terminationGracePeriodSeconds 30")
        check(ps.get("affinity", {}).get("podAntiAffinity") or ps.get("topologySpreadConstraints"),
              f"{w}: spread replicas across nodes")
        vols = {v["name"]: v for v in ps.get("volumes", [])}
        c = ps["containers"][0]
        env = {e["name"]: e for e in c.get("env", [])}
        for var, field in (("POD_NAME", "metadata.name"), ("POD_NAMESPACE", "metadata.namespace"),
                           ("NODE_NAME", "spec.nodeName")):
            check(env.get(var, {}).get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") == field,
                  f"{w}: {var} from downward API {field}")
        check(env.get("CONTAINER_IMAGE", {}).get("value") == c["image"], f"{w}: CONTAINER_IMAGE == image")
        check("@sha256:" in c["image"] if want["digest"] else ":" in c["image"], f"{w}: image by digest={want['digest']}")
        grace = int(env.get("SHUTDOWN_GRACE_MS", {}).get("value", "20000"))
        check(grace < ps["terminationGracePeriodSeconds"] * 1000, f"{w}: SHUTDOWN_GRACE_MS below the grace period")
        check(c.get("livenessProbe", {}).get("httpGet", {}).get("path") == "/healthz", f"{w}: liveness /healthz")
        check(c.get("readinessProbe", {}).get("httpGet", {}).get("path") == "/readyz", f"{w}: readiness /readyz")
        check("startupProbe" in c, f"{w}: startupProbe")
        mounts = {m["mountPath"]: m for m in c.get("volumeMounts", [])}
        tmp = vols.get(mounts.get("/tmp", {}).get("name"), {})
        check(bool(tmp.get("emptyDir", {}).get("sizeLimit")), f"{w}: /tmp is an emptyDir with sizeLimit")
        cm_vols = [v for v in vols.values() if "configMap" in v]
        for v in cm_vols:
            check(("ConfigMap", v["configMap"]["name"]) in names, f"{w}: ConfigMap {v['configMap']['name']} exists")
        if "MESSAGES_FILE" in env:
            mf = env["MESSAGES_FILE"]["value"]
            mount = mounts.get(mf.rsplit("/", 1)[0], {})
            check(mount.get("name") in {v["name"] for v in cm_vols}, f"{w}: MESSAGES_FILE dir is the ConfigMap mount")
        if cm_vols:
            check("checksum/config" in tpl["metadata"].get("annotations", {}), f"{w}: checksum/config annotation")
        if "max_cpu_request_m" in want:
            check(millicores(c["resources"]["requests"]["cpu"]) <= want["max_cpu_request_m"], f"{w}: dev cpu request lowered")

        selects = lambda obj_sel: matches(obj_sel, pod_labels)  # noqa: E731
        for svc in by_kind.get("Service", []):
            if selects(svc["spec"]["selector"]):
                check(svc["spec"]["type"] == "ClusterIP", f"Service/{svc['metadata']['name']}: ClusterIP")
        check(any(selects(s["spec"]["selector"]) for s in by_kind.get("Service", [])), f"{w}: a Service selects it")
        for np_ in by_kind.get("NetworkPolicy", []):
            check(selects(np_["spec"]["podSelector"]["matchLabels"]), f"NetworkPolicy/{np_['metadata']['name']}: selects {name}")
            check(np_["spec"]["policyTypes"] == ["Ingress"], "NetworkPolicy: Ingress policy")
        for pdb in by_kind.get("PodDisruptionBudget", []):
            check(selects(pdb["spec"]["selector"]["matchLabels"]), f"PDB/{pdb['metadata']['name']}: selects {name}")
        for hpa in by_kind.get("HorizontalPodAutoscaler", []):
            hs = hpa["spec"]
            check(hs["scaleTargetRef"]["name"] == name, f"HPA: targets {name}")
            check(hs["minReplicas"] == want.get("hpa_min", 2) and hs["maxReplicas"] >= hs["minReplicas"], "HPA: min/max")
            check(hs["metrics"][0]["resource"]["name"] == "cpu", "HPA: on CPU")

    services = {s["metadata"]["name"]: s for s in by_kind.get("Service", [])}
    for ing in by_kind.get("Ingress", []):
        w = f"Ingress/{ing['metadata']['name']}"
        check(bool(ing["spec"].get("tls")) == want["tls"], f"{w}: tls={want['tls']}")
        if want["tls"]:
            check(ing["spec"]["tls"][0]["hosts"] == [ing["spec"]["rules"][0].get("host")], f"{w}: TLS host == rule host")
        for rule in ing["spec"]["rules"]:
            for p in rule["http"]["paths"]:
                b = p["backend"]["service"]
                svc = services.get(b["name"])
                check(svc is not None and b["port"]["name"] in {x["name"] for x in svc["spec"]["ports"]},
                      f"{w}: backend {b['name']}:{b['port']} exists")

    for ns in by_kind.get("Namespace", []):
        check(ns["metadata"]["labels"].get("pod-security.kubernetes.io/enforce") == "restricted",
              f"Namespace/{ns['metadata']['name']}: enforces restricted Pod Security")

    for e in errors:
        print(f"{profile}: {e}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
