"""The value of KEY in the data of the first ConfigMap among the manifests on stdin (`helm
template` output), printed as is: the chart's rendered config of a component, for its own
validator. usage: helm template ... | configmap-data.py KEY; exit 1 naming what is missing."""

import sys

import yaml


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    maps = [d for d in yaml.safe_load_all(sys.stdin) if d and d.get("kind") == "ConfigMap"]
    if not maps:
        print("no ConfigMap in the manifests", file=sys.stderr)
        return 1
    data = maps[0].get("data") or {}
    if argv[0] not in data:
        print(f"ConfigMap {maps[0]['metadata']['name']} has no data key {argv[0]!r}", file=sys.stderr)
        return 1
    print(data[argv[0]])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
