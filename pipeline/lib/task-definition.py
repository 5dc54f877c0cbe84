"""roll-ecs's next revision of a task definition: the current one (`aws ecs describe-task-definition
--query taskDefinition`) with the container named after the service on a new image, reduced to
what register-task-definition accepts; everything else of the revision Terraform made is kept.

usage: task-definition.py CURRENT.json SERVICE REF
    prints the revision to register (JSON); prints nothing when that container already runs REF.
    exit 1 when no container is named SERVICE; 2 when CURRENT is not a task definition.
"""

import json
import sys

KEEP = ("family", "taskRoleArn", "executionRoleArn", "networkMode", "containerDefinitions", "volumes",
        "placementConstraints", "requiresCompatibilities", "cpu", "memory", "runtimePlatform",
        "ephemeralStorage", "pidMode", "ipcMode", "proxyConfiguration")


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    path, name, ref = argv
    try:
        with open(path) as f:
            td = json.load(f)
        containers = [c for c in td["containerDefinitions"] if c["name"] == name]
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"task-definition: not a task definition: {path}: {e!r}", file=sys.stderr)
        return 2
    if not containers:
        print(f"task-definition: no container named {name}", file=sys.stderr)
        return 1
    if containers[0]["image"] == ref:
        return 0  # already runs it: an empty document says so
    containers[0]["image"] = ref
    print(json.dumps({k: td[k] for k in KEEP if td.get(k) not in (None, [], {})}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
