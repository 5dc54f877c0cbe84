"""The log agent's DaemonSet (`kubectl get ds -o json`), for tier platform's Pod Security checks.

usage: agent-pod.py secure DAEMONSET_JSON
         exit 0 when its container is read-only, non-escalating, drops ALL capabilities and mounts
         the node's pod logs read-only; else prints what is not and exits 1
       agent-pod.py as-pod DAEMONSET_JSON NAMESPACE NAME
         prints a Pod with the DaemonSet's pod spec in NAMESPACE (to try it where restricted applies)
Exit 2 on bad arguments or input.
"""

import json
import sys


def secure(ds: dict) -> list[str]:
    c = ds["spec"]["template"]["spec"]["containers"][0]
    s = c.get("securityContext", {})
    problems = []
    if not s.get("readOnlyRootFilesystem"):
        problems.append("root filesystem not read-only")
    if s.get("allowPrivilegeEscalation", True):
        problems.append("privilege escalation allowed")
    if s.get("capabilities", {}).get("drop") != ["ALL"]:
        problems.append("capabilities not dropped (drop: [ALL])")
    pods = [m for m in c.get("volumeMounts", []) if m["name"] == "pods"]
    if not pods or not pods[0].get("readOnly"):
        problems.append("the node's pod logs not mounted read-only")
    return problems


def main(argv: list[str]) -> int:
    try:
        if len(argv) == 2 and argv[0] == "secure":
            with open(argv[1]) as f:
                problems = secure(json.load(f))
            for p in problems:
                print(p)
            return 1 if problems else 0
        if len(argv) == 4 and argv[0] == "as-pod":
            with open(argv[1]) as f:
                spec = json.load(f)["spec"]["template"]["spec"]
            pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": argv[3], "namespace": argv[2]}, "spec": spec}
            print(json.dumps(pod))
            return 0
    except (OSError, ValueError, KeyError, IndexError) as e:
        print(f"agent-pod.py: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
