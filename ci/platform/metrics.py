"""Checks of the platform's metrics (ci/platform/metrics.sh), on the JSON Prometheus' and
Alertmanager's APIs answer and on what the webhook sink recorded; and the local Alertmanager
configuration, written from the repository's one declaration.

usage: metrics.py COMMAND ...
  am-config SRC SINK_URL [KEY=VALUE...] [--check FILE]
      SRC (deploy/monitoring/alertmanager/alertmanager.yml) with every webhook receiver's URL
      moved to SINK_URL + its path ("http://alerts.invalid/pager" -> SINK_URL/pager), and the top
      route's timings KEY (group_wait, group_interval, repeat_interval) set to VALUE; matchers,
      receivers and inhibitions unchanged. Prints it; --check FILE: exit 1 when FILE differs.
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
  sink FILE NAME STATUS [LABEL=VALUE...]
      FILE: the webhook sink's JSON lines. Exit 0 when a notification carried alert NAME with
      status STATUS (firing|resolved) and those labels; prints the receiving paths.
Exit 2 on bad arguments or unreadable input.
"""

import json
import re
import sys


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


TIMINGS = ("group_wait", "group_interval", "repeat_interval")


def am_config(src_text: str, sink_url: str, timings: dict[str, str] | None = None) -> str:
    sink = sink_url.rstrip("/")
    urls = re.findall(r"^(\s*- url: )(\S+)$", src_text, flags=re.M)
    if not urls:
        raise ValueError("no webhook receiver URL in the source")

    def move(m: re.Match) -> str:
        path = re.sub(r"^[a-z]+://[^/]+", "", m.group(2)) or "/"
        return m.group(1) + sink + path

    body = re.sub(r"^(\s*- url: )(\S+)$", move, src_text, flags=re.M)
    changed = []
    for key, value in (timings or {}).items():
        if key not in TIMINGS or not re.fullmatch(r"([0-9]+(ms|s|m|h))+", value):
            raise ValueError(f"not a route timing: {key}={value}")
        # the top route's own key: two spaces in, under `route:`
        body, n = re.subn(rf"^(route:\n(?:  .*\n)*?  {key}: )\S+$", rf"\g<1>{value}", body, count=1, flags=re.M)
        if n != 1:
            raise ValueError(f"the top route has no {key}")
        changed.append(f"{key} {value}")
    header = (
        "# Written by `python3 ci/platform/metrics.py am-config` from deploy/monitoring/alertmanager/\n"
        f"# alertmanager.yml: the same routes and inhibitions, the receivers posting to {sink}"
        + (f";\n# top route timings shortened for a test cluster: {', '.join(changed)}" if changed else "")
        + ".\n"
    )
    return header + body


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
        if cmd == "am-config" and len(args) >= 2:
            check = None
            if "--check" in args:
                i = args.index("--check")
                if i + 2 != len(args):
                    print(__doc__, file=sys.stderr)
                    return 2
                check, args = args[i + 1], args[:i]
            with open(args[0]) as f:
                text = am_config(f.read(), args[1], _labels(args[2:]))
            if check:
                with open(check) as f:
                    if f.read() != text:
                        print(f"{check} differs from what am-config writes from {args[0]}: run", file=sys.stderr)
                        print(f"  python3 ci/platform/metrics.py am-config {' '.join(args)} > {check}", file=sys.stderr)
                        return 1
                return 0
            sys.stdout.write(text)
            return 0
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
