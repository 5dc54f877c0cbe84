"""Asserts the security layout of compose.yaml on the model Compose itself resolves
(`docker compose config --format json`: anchors merged, variables interpolated), because the
database images cannot be pulled here and the real stack cannot run in CI.

    python3 compose-model.py MODEL.json     exit 0, or 1 with one line per problem on stderr

Rules: each database is attached only to its own network; that network is internal and joined
by store and nothing else; the routeguide backend likewise with the routeguide server; every
network but `front` is internal; no database publishes a port; passwords reach containers only
as file-based secrets through *_FILE variables (or the secret's path); every app service (the
ones built here) is hardened; the databases run without capabilities as a non-root user with
their data on named volumes. The monitoring profile (model resolved with `--profile monitoring`):
each database's exporter may join that database's network (its only other client), monitoring
services sit on `front` and the internal `monitoring` network only, pinned, unprivileged, limited.
"""

import json
import re
import sys

DATABASES = {"mysql": "mysql-net", "mongo": "mongo-net", "redis": "redis-net"}
DB_CONSUMER = "store"
PRIVATE_PAIRS = {"routeguide-backend": ("routeguide-net", "routeguide")}  # service: (network, its one client)
PUBLIC_NETWORK = "front"
DB_DATA = {"mysql": ["/var/lib/mysql"], "mongo": ["/data/db"], "redis": ["/data"]}
EXPORTERS = {"mysql": "mysql-exporter", "mongo": "mongodb-exporter", "redis": "redis-exporter"}  # db: its exporter
MONITORING = {"prometheus", "alertmanager", "grafana", "jaeger", *EXPORTERS.values()}
MONITORING_NETWORKS = {PUBLIC_NETWORK, "monitoring"}
SECRET_NAME = re.compile(r"PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|PRIVATE_KEY")


def networks_of(service):
    nets = service.get("networks") or {}
    return set(nets) if isinstance(nets, dict) else set(nets)


def limits(service):
    return service.get("deploy", {}).get("resources", {}).get("limits", {})


def check_networks(model, problems):
    services = model["services"]
    members = {}
    for name, s in services.items():
        for net in networks_of(s):
            members.setdefault(net, set()).add(name)
    for net, conf in model.get("networks", {}).items():
        if net != PUBLIC_NETWORK and not (conf or {}).get("internal"):
            problems.append(f"{net}: not internal (only {PUBLIC_NETWORK} may reach outside)")
    for db, net in DATABASES.items():
        if db not in services:
            problems.append(f"{db}: service missing")
            continue
        if networks_of(services[db]) != {net}:
            problems.append(f"{db}: attached to {sorted(networks_of(services[db]))}, want only [{net}]")
        if members.get(net, set()) - {EXPORTERS[db]} != {db, DB_CONSUMER}:
            problems.append(f"{net}: attached to {sorted(members.get(net, set()))}, want only [{db}, {DB_CONSUMER}] (+ {EXPORTERS[db]})")
        if not (model.get("networks", {}).get(net) or {}).get("internal"):
            problems.append(f"{net}: not internal")
        if services[db].get("ports"):
            problems.append(f"{db}: publishes ports {services[db]['ports']}")
    for svc, (net, client) in PRIVATE_PAIRS.items():
        if svc not in services:
            problems.append(f"{svc}: service missing")
            continue
        if networks_of(services[svc]) != {net}:
            problems.append(f"{svc}: attached to {sorted(networks_of(services[svc]))}, want only [{net}]")
        if members.get(net, set()) != {svc, client}:
            problems.append(f"{net}: attached to {sorted(members.get(net, set()))}, want only [{svc}, {client}]")
        if services[svc].get("ports"):
            problems.append(f"{svc}: publishes ports")


def check_secrets(model, problems):
    declared = model.get("secrets", {})
    for name, conf in declared.items():
        if "file" not in (conf or {}):
            problems.append(f"secret {name}: not file-based ({sorted(conf or {})})")
    for name, s in model["services"].items():
        env = s.get("environment") or {}
        mounted = {sec["source"]: sec.get("target", f"/run/secrets/{sec['source']}") for sec in s.get("secrets", [])}
        for key, value in env.items():
            if not SECRET_NAME.search(key):
                continue
            if not key.endswith("_FILE"):
                problems.append(f"{name}: {key} set in the environment (use {key}_FILE and a secret)")
            elif value not in mounted.values():
                problems.append(f"{name}: {key}={value} is not one of its mounted secrets {sorted(mounted.values())}")
        for text in [*(s.get("command") or []), *((s.get("healthcheck") or {}).get("test") or [])]:
            if "/run/secrets/" not in text and re.search(r"(requirepass|--password|-p)\s+\S", text):
                problems.append(f"{name}: a password appears literally in {text[:60]!r}")


def check_app_hardening(name, s, problems):
    user = str(s.get("user", ""))
    need = {
        "read_only": s.get("read_only") is True,
        "tmpfs /tmp": any(t.split(":")[0] == "/tmp" for t in s.get("tmpfs", [])),
        "cap_drop ALL": s.get("cap_drop") == ["ALL"],
        "no-new-privileges": "no-new-privileges:true" in s.get("security_opt", []),
        "non-root numeric user": re.fullmatch(r"[1-9][0-9]*:[1-9][0-9]*", user) is not None,
        "exec-form healthcheck": ((s.get("healthcheck") or {}).get("test") or [""])[0] == "CMD",
        "cpu+memory limits": {"cpus", "memory"} <= set(limits(s)),
        "pids limit": (s.get("pids_limit") or limits(s).get("pids") or 0) > 0,
        "restart unless-stopped": s.get("restart") == "unless-stopped",
        "ports on 127.0.0.1": all(p.get("host_ip") == "127.0.0.1" for p in s.get("ports", [])),
        "no privileged": not s.get("privileged"),
        "no cap_add": not s.get("cap_add"),
    }
    if name != "web":  # the Node images: their one user
        need["user 65532"] = user == "65532:65532"
    problems += [f"{name}: {k}" for k, ok in need.items() if not ok]


def check_db_hardening(name, s, problems):
    mounts = {v.get("target"): v for v in s.get("volumes", [])}
    need = {
        "cap_drop ALL": s.get("cap_drop") == ["ALL"],
        "no cap_add": not s.get("cap_add"),
        "no-new-privileges": "no-new-privileges:true" in s.get("security_opt", []),
        "non-root numeric user": re.fullmatch(r"[1-9][0-9]*:[1-9][0-9]*", str(s.get("user", ""))) is not None,
        "healthcheck": bool((s.get("healthcheck") or {}).get("test")),
        "cpu+memory limits": {"cpus", "memory"} <= set(limits(s)),
        "pids limit": (s.get("pids_limit") or limits(s).get("pids") or 0) > 0,
        "pinned image": re.fullmatch(r"[a-z0-9./-]+:[0-9][0-9.]*(@sha256:[0-9a-f]{64})?", s.get("image", "")) is not None,
        "data on named volumes": all(mounts.get(p, {}).get("type") == "volume" for p in DB_DATA[name]),
    }
    problems += [f"{name}: {k}" for k, ok in need.items() if not ok]


def check_monitoring_hardening(name, s, problems):
    exporter_of = {e: DATABASES[db] for db, e in EXPORTERS.items()}
    allowed = MONITORING_NETWORKS | ({exporter_of[name]} if name in exporter_of else set())
    need = {
        "read_only": s.get("read_only") is True,
        "cap_drop ALL": s.get("cap_drop") == ["ALL"],
        "no cap_add": not s.get("cap_add"),
        "no-new-privileges": "no-new-privileges:true" in s.get("security_opt", []),
        "non-root numeric user": re.fullmatch(r"[1-9][0-9]*:[1-9][0-9]*", str(s.get("user", ""))) is not None,
        "cpu+memory limits": {"cpus", "memory"} <= set(limits(s)),
        "pids limit": (s.get("pids_limit") or limits(s).get("pids") or 0) > 0,
        "pinned image": re.fullmatch(r"[a-z0-9./_-]+:v?[0-9][0-9.]*(@sha256:[0-9a-f]{64})?", s.get("image", "")) is not None,
        "ports on 127.0.0.1": all(p.get("host_ip") == "127.0.0.1" for p in s.get("ports", [])),
        "networks: front/monitoring (+ its database's)": networks_of(s) <= allowed and bool(networks_of(s)),
        "in the monitoring profile": s.get("profiles") == ["monitoring"],
    }
    problems += [f"{name}: {k}" for k, ok in need.items() if not ok]


def main(path):
    model = json.load(open(path))
    problems = []
    check_networks(model, problems)
    check_secrets(model, problems)
    for name, s in model["services"].items():
        if name in DATABASES:
            check_db_hardening(name, s, problems)
        elif "build" in s:
            check_app_hardening(name, s, problems)
        elif name in MONITORING:
            check_monitoring_hardening(name, s, problems)
        else:
            problems.append(f"{name}: neither a database nor built here: no rule covers it")
    for p in problems:
        print(f"        {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
