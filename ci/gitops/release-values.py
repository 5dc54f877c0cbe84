#!/usr/bin/env python3
"""The values a HelmRelease gives its chart, as `helm template` arguments (one per line): its chart's
valuesFiles (a chart from git: paths in this repository), the keys of the ConfigMaps its valuesFrom
names (found in the same render; written to files in OUT_DIR), then its inline values (OUT_DIR/inline.json).
The release's namespace is written to OUT_DIR/namespace (helm template's -n).

usage: release-values.py APPS_RENDER.yaml OUT_DIR
"""

import json
import os
import sys

import yaml


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    docs = [d for d in yaml.safe_load_all(open(argv[0])) if d]
    out = argv[1]
    hrs = [d for d in docs if d["kind"] == "HelmRelease"]
    if len(hrs) != 1:
        print(f"expected one HelmRelease, got {len(hrs)}", file=sys.stderr)
        return 1
    spec = hrs[0]["spec"]
    with open(os.path.join(out, "namespace"), "w") as f:
        f.write(hrs[0]["metadata"].get("namespace", "default") + "\n")
    args: list[str] = []
    for f in spec.get("chart", {}).get("spec", {}).get("valuesFiles", []):
        args += ["-f", f]
    configmaps = {d["metadata"]["name"]: d for d in docs if d["kind"] == "ConfigMap"}
    for i, ref in enumerate(spec.get("valuesFrom", [])):
        cm = configmaps.get(ref["name"]) if ref.get("kind") == "ConfigMap" else None
        key = ref.get("valuesKey", "values.yaml")
        if cm is None or key not in cm.get("data", {}):
            print(f"valuesFrom {ref.get('kind')}/{ref['name']} key {key}: not in the render", file=sys.stderr)
            return 1
        path = os.path.join(out, f"values-from-{i}-{key}")
        open(path, "w").write(cm["data"][key])
        args += ["-f", path]
    inline = os.path.join(out, "inline.json")
    json.dump(spec.get("values", {}), open(inline, "w"))
    args += ["-f", inline]
    print("\n".join(args))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
