#!/usr/bin/env python3
"""Reads `kubectl get ... -o json` on stdin and prints one line per object: NAMESPACE/KIND/NAME,
Ready or not, and why. Exit 0 only when every object is ready and there is at least one.

usage: readiness.py flux | pods [--since ISO-TIME]
  flux   Flux objects (OCIRepository, Kustomization, HelmRelease): their Ready condition, for
         the generation they were last changed to
  pods   every pod Ready, or Succeeded (a Job's, a helm test's); with --since, a running pod only
         once every container of it started at or after ISO-TIME: after the node restarted (a
         stopped cluster started again), the API still holds what the pods said before the stop
"""

import json
import sys


def flux_line(obj: dict) -> tuple[bool, str]:
    meta, status = obj["metadata"], obj.get("status", {})
    cond = next((c for c in status.get("conditions", []) if c.get("type") == "Ready"), None)
    current = status.get("observedGeneration") == meta.get("generation")
    ok = bool(cond) and cond.get("status") == "True" and current
    why = (cond or {}).get("message", "no Ready condition yet")
    if cond and not current:
        why = f"generation {meta.get('generation')} not observed yet"
    return ok, why


def pod_line(obj: dict, since: str = "") -> tuple[bool, str]:
    status = obj.get("status", {})
    if status.get("phase") == "Succeeded":
        return True, "Succeeded"
    cond = next((c for c in status.get("conditions", []) if c.get("type") == "Ready"), None)
    ok = bool(cond) and cond.get("status") == "True"
    if ok and since:
        # RFC 3339 UTC times of one clock compare as strings
        old = [
            c["name"]
            for c in status.get("containerStatuses", [])
            if c.get("state", {}).get("running", {}).get("startedAt", "") < since
        ]
        if old:
            return False, f"started before {since} (not restarted yet): {', '.join(old)}"
    waiting = [
        f"{c['name']}: {c['state']['waiting'].get('reason', 'waiting')}"
        for c in status.get("containerStatuses", [])
        if "waiting" in c.get("state", {})
    ]
    return ok, "; ".join(waiting) or status.get("phase", "unknown")


def main(argv: list[str]) -> int:
    if argv == ["flux"]:
        check = flux_line
    elif argv == ["pods"] or (len(argv) == 3 and argv[:2] == ["pods", "--since"]):
        since = argv[2] if len(argv) == 3 else ""
        check = lambda obj: pod_line(obj, since)  # noqa: E731
    else:
        print(__doc__.strip().splitlines()[3], file=sys.stderr)
        return 2
    items = json.load(sys.stdin).get("items", [])
    bad = 0
    for obj in items:
        ok, why = check(obj)
        bad += not ok
        name = f"{obj['metadata'].get('namespace', '')}/{obj['kind']}/{obj['metadata']['name']}"
        print(f"{name:60} {'Ready' if ok else 'NOT READY'} {why}")
    if not items:
        print("nothing found", file=sys.stderr)
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
