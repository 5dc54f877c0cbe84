"""Writes a mutated copy of a `flux build` output, for tier gitops' negative controls.

usage: python mutate-flux.py IN OUT KIND/NAMESPACE/NAME PATH=VALUE|PATH!
PATH is a dotted path under the object (spec.chart.spec.version); `=VALUE` sets it (VALUE parsed
as YAML), `!` deletes it. Fails when the object or the path is missing, so a control cannot pass
by mutating nothing.
"""

import sys

import yaml


def main() -> int:
    src, out, target, edit = sys.argv[1:5]
    kind, ns, name = target.split("/", 2)
    docs = [d for d in yaml.safe_load_all(open(src)) if d]
    hits = [d for d in docs if d["kind"] == kind and d["metadata"].get("namespace", "") == ns and d["metadata"]["name"] == name]
    if len(hits) != 1:
        sys.exit(f"{target}: {len(hits)} objects in {src}")
    path, delete = (edit[:-1], True) if edit.endswith("!") else (edit.split("=", 1)[0], False)
    keys = path.split(".")
    node = hits[0]
    for k in keys[:-1]:
        if k not in node:
            sys.exit(f"{target}: no {path}")
        node = node[k]
    if delete:
        if keys[-1] not in node:
            sys.exit(f"{target}: no {path}")
        del node[keys[-1]]
    else:
        node[keys[-1]] = yaml.safe_load(edit.split("=", 1)[1])
    yaml.safe_dump_all(docs, open(out, "w"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
