"""Checks of the platform's metrics (ci/platform/metrics.sh), on the JSON Prometheus' and
Alertmanager's APIs answer and on what the webhook sink recorded.

usage: metrics.py COMMAND ...
  targets FILE JOB MIN
      FILE: /api/v1/targets. Exit 0 when at least MIN active targets have job=JOB and every one of
      them is up; prints "up/total" and each target that is not up.
  rules FILE NAME...
      FILE: /api/v1/rules. Exit 0 when every NAME (an alerting or recording rule's name) is loaded
      and healthy; prints the number of groups and rules.
  query FILE MIN
      FILE: /api/v1/query. Exit 0 when the result has at least MIN series; prints their count.
  rule-for FILE NAME SECONDS
      FILE: /api/v1/rules. Exit 0 when the alerting rule NAME is loaded with that `for`.
  alert FILE NAME STATE [LABEL=VALUE...]
      FILE: /api/v1/alerts. Exit 0 when an alert NAME in STATE (pending|firing) with those labels
      is active.
  fleet-targets PODMONITORS PODS
      PODMONITORS, PODS: `kubectl get podmonitors|pods -o json` of the fleet's namespace. Prints the
      number of targets the fleet's PodMonitors (job flotilla; not the exporters' jobs, not the
      tier's control-* monitors) should give: one per endpoint of each Running pod they select.
  lint-targets FILE JOB...
      FILE: /api/v1/targets. Prints "POD PORT NAME" for one up target of each scraped process of
      those jobs (a service, its backend sidecar, an exporter: distinct job, service and port), the
      targets whose /metrics promtool then checks. Exit 1 when there is none.
  sink FILE NAME STATUS [LABEL=VALUE...]
      FILE: the webhook sink's JSON lines. Exit 0 when a notification carried alert NAME with
      status STATUS (firing|resolved) and those labels; prints the receiving paths.
Exit 2 on bad arguments or unreadable input.
"""

import json
import sys
from urllib.parse import urlparse


def _load(path: str):
    with open(path) as f:
        return json.load(f)


def _labels(pairs: list[str]) -> dict[str, str]:
    out = {}
    for p in pairs:
        if "=" not in p:
            raise ValueError(f"not LABEL=VALUE: {p}")
        k, v = p.split("=", 1)
        out[k] = v
    return out


def targets(data: dict, job: str, minimum: int) -> tuple[bool, list[str]]:
    active = [t for t in data["data"]["activeTargets"] if t.get("labels", {}).get("job") == job]
    down = [t for t in active if t.get("health") != "up"]
    lines = [f"{len(active) - len(down)}/{len(active)} targets of job {job} up"]
    for t in down:
        lines.append(f"  {t.get('scrapeUrl')} {t.get('labels', {}).get('service', '')}: {t.get('health')} {t.get('lastError', '')}")
    return len(active) >= minimum and not down, lines


def rules(data: dict, names: list[str]) -> tuple[bool, list[str]]:
    groups = data["data"]["groups"]
    loaded = {}
    for g in groups:
        for r in g.get("rules", []):
            loaded[r["name"]] = r.get("health", "unknown")
    lines = [f"{len(groups)} groups, {len(loaded)} rules"]
    ok = True
    for n in names:
        if n not in loaded:
            ok = False
            lines.append(f"  {n}: not loaded")
        elif loaded[n] not in ("ok", "unknown"):
            ok = False
            lines.append(f"  {n}: {loaded[n]}")
    return ok, lines


def query(data: dict, minimum: int) -> tuple[bool, list[str]]:
    n = len(data["data"]["result"])
    return n >= minimum, [f"{n} series"]


def rule_for(data: dict, name: str, seconds: float) -> tuple[bool, list[str]]:
    found = [r for g in data["data"]["groups"] for r in g.get("rules", []) if r.get("type") == "alerting" and r["name"] == name]
    if not found:
        return False, [f"{name}: not loaded"]
    durations = [r.get("duration") for r in found]
    return all(d == seconds for d in durations), [f"{name}: for {', '.join(f'{d} s' for d in durations)}"]


def alert(data: dict, name: str, state: str, want: dict[str, str]) -> tuple[bool, list[str]]:
    found = [
        a
        for a in data["data"]["alerts"]
        if a["labels"].get("alertname") == name and all(a["labels"].get(k) == v for k, v in want.items())
    ]
    lines = [f"{name}: {', '.join(a['state'] for a in found) or 'not active'}"]
    return any(a["state"] == state for a in found), lines


def sink(lines_in: list[str], name: str, status: str, want: dict[str, str]) -> tuple[bool, list[str]]:
    paths = []
    for line in lines_in:
        if not line.strip():
            continue
        rec = json.loads(line)
        for a in rec.get("body", {}).get("alerts", []):
            labels = a.get("labels", {})
            if labels.get("alertname") == name and a.get("status") == status and all(labels.get(k) == v for k, v in want.items()):
                paths.append(rec.get("path", ""))
    return bool(paths), [f"{name} {status}: {len(paths)} notification(s) {' '.join(sorted(set(paths)))}".rstrip()]


def lint_targets(data: dict, jobs: list[str]) -> tuple[bool, list[str]]:
    seen: dict[tuple[str, str, str], str] = {}
    for t in data["data"]["activeTargets"]:
        labels = t.get("labels", {})
        if labels.get("job") not in jobs or t.get("health") != "up" or not labels.get("pod"):
            continue
        port = urlparse(t.get("scrapeUrl", "")).port
        key = (labels["job"], labels.get("service", ""), str(port))
        if port and key not in seen:
            seen[key] = f"{labels['pod']} {port} {labels['job']}/{labels.get('service') or labels['job']}:{port}"
    return bool(seen), [seen[k] for k in sorted(seen)]


def fleet_targets(monitors: dict, pods: dict) -> int:
    running = [p for p in pods["items"] if p.get("status", {}).get("phase") == "Running"]
    n = 0
    for pm in monitors["items"]:
        endpoints = pm["spec"]["podMetricsEndpoints"]
        jobs = {r.get("replacement") for ep in endpoints for r in ep.get("relabelings", []) if r.get("targetLabel") == "job"}
        if pm["metadata"]["name"].startswith("control-") or jobs != {"flotilla"}:
            continue
        want = pm["spec"]["selector"].get("matchLabels", {})
        selected = [p for p in running if all(p["metadata"].get("labels", {}).get(k) == v for k, v in want.items())]
        n += len(selected) * len(endpoints)
    return n


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[0], argv[1:]
    try:
        if cmd == "targets" and len(args) == 3:
            ok, out = targets(_load(args[0]), args[1], int(args[2]))
        elif cmd == "rules" and len(args) >= 2:
            ok, out = rules(_load(args[0]), args[1:])
        elif cmd == "query" and len(args) == 2:
            ok, out = query(_load(args[0]), int(args[1]))
        elif cmd == "rule-for" and len(args) == 3:
            ok, out = rule_for(_load(args[0]), args[1], float(args[2]))
        elif cmd == "alert" and len(args) >= 3:
            ok, out = alert(_load(args[0]), args[1], args[2], _labels(args[3:]))
        elif cmd == "fleet-targets" and len(args) == 2:
            ok, out = True, [str(fleet_targets(_load(args[0]), _load(args[1])))]
        elif cmd == "lint-targets" and len(args) >= 2:
            ok, out = lint_targets(_load(args[0]), args[1:])
        elif cmd == "sink" and len(args) >= 3:
            try:
                with open(args[0]) as f:
                    content = f.readlines()
            except FileNotFoundError:
                content = []
            ok, out = sink(content, args[1], args[2], _labels(args[3:]))
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"metrics.py {cmd}: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    print("\n".join(out))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
