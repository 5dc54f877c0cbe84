"""Tier cluster's reads of routeguide's objects.

usage: routeguide.py pods PODS_JSON
           routeguide's default layout: each pod (`kubectl get pods -o json`) runs the server as its
           one container and the backend as a native sidecar (an init container with restartPolicy
           Always), all of them ready. Exit 1 naming what differs.
       routeguide.py client-job NAME < RENDERED_JSON
           the chart's client Job (the rendered templates/jobs.yaml as `kubectl create
           --dry-run=client -o json` prints it: a Job or a List) renamed NAME and without helm's
           hook annotations, so it can be applied and stays for its logs. Exit 1 without one.
Input that is not such JSON, or other arguments: exit 2.
"""

import json
import sys


def pods(text: str) -> int:
    try:
        items = json.loads(text)["items"]
        layouts = [(p["spec"], p["status"]) for p in items]
    except (ValueError, KeyError, TypeError) as e:
        print(f"routeguide: not a pod list: {e!r}", file=sys.stderr)
        return 2
    if not items:
        print("no routeguide pods", file=sys.stderr)
        return 1
    for spec, st in layouts:
        side = [c for c in spec.get("initContainers", []) if c.get("restartPolicy") == "Always"]
        if [c["name"] for c in spec["containers"]] != ["routeguide"] or len(side) != 1:
            print(f"not server + one native sidecar: {spec['containers']}, {side}", file=sys.stderr)
            return 1
        statuses = st.get("containerStatuses", []) + st.get("initContainerStatuses", [])
        if not statuses or not all(c["ready"] for c in statuses):
            print(f"not every container ready: {st}", file=sys.stderr)
            return 1
    print(len(items), "pods: server + backend sidecar, both ready")
    return 0


def client_job(name: str, text: str) -> int:
    try:
        job = json.loads(text)
        if job["kind"] == "List":
            job = next((j for j in job["items"] if j["metadata"]["name"].endswith("routeguide-client")), None)
        if job is None:
            print("no routeguide-client Job in the render", file=sys.stderr)
            return 1
        meta = job["metadata"]
    except (ValueError, KeyError, TypeError) as e:
        print(f"routeguide: not a rendered Job: {e!r}", file=sys.stderr)
        return 2
    meta["name"] = name
    meta["annotations"] = {k: v for k, v in meta.get("annotations", {}).items() if not k.startswith("helm.sh/")}
    print(json.dumps(job))
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["pods"] and len(argv) == 2:
        return pods(argv[1])
    if argv[:1] == ["client-job"] and len(argv) == 2:
        return client_job(argv[1], sys.stdin.read())
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
