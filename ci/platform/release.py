#!/usr/bin/env python3
"""Reads a HelmRelease (`kubectl get helmrelease -o json`) on stdin and answers one question.

usage: release.py ready [REVISION]   Ready for its current generation (and REVISION's chart or values
                                     among the last attempted: a digest prefix); exit 1 otherwise
       release.py rolled-back        a failed upgrade was rolled back (Remediated: RollbackSucceeded)
       release.py deployed           prints the deployed release: "<chart version> <values digest>"
       release.py history            prints the history, newest first
"""

import json
import sys


def cond(hr: dict, kind: str) -> dict:
    return next((c for c in hr.get("status", {}).get("conditions", []) if c.get("type") == kind), {})


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("ready", "rolled-back", "deployed", "history"):
        print(__doc__.strip().split("\n\n")[0], file=sys.stderr)
        return 2
    hr = json.load(sys.stdin)
    status = hr.get("status", {})
    history = status.get("history", [])
    if argv[0] == "ready":
        ok = cond(hr, "Ready").get("status") == "True" and status.get("observedGeneration") == hr["metadata"]["generation"]
        if len(argv) > 1:
            ok = ok and argv[1] in status.get("lastAttemptedConfigDigest", "") + status.get("lastAttemptedRevision", "")
        print(cond(hr, "Ready").get("message", "no Ready condition"))
        return 0 if ok else 1
    if argv[0] == "rolled-back":
        remediated = cond(hr, "Remediated")
        print(remediated.get("reason", "not remediated"), remediated.get("message", ""))
        return 0 if remediated.get("reason") == "RollbackSucceeded" else 1
    if argv[0] == "deployed":
        current = next((h for h in history if h.get("status") == "deployed"), None)
        if not current:
            print("no deployed release in the history", file=sys.stderr)
            return 1
        print(current["chartVersion"], current.get("configDigest", ""))
        return 0
    for h in history:
        print(f"v{h['version']} {h['status']:<12} chart {h['chartVersion']} values {h.get('configDigest', '')[7:19]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
