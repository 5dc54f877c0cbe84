"""List the Flux Kustomizations a cluster entry point declares, as the tier builds them.

usage: python flux-kustomizations.py CLUSTER_DIR
Prints `NAME PATH FILE` per Flux Kustomization found in CLUSTER_DIR's YAML files (recursively,
the way kustomize-controller gathers a directory without a kustomization.yaml), flux-system's
first; PATH is spec.path as written (relative to the repository root).
"""

import pathlib
import sys

import yaml


def main() -> None:
    found = []
    for f in sorted(pathlib.Path(sys.argv[1]).rglob("*.yaml")):
        for d in yaml.safe_load_all(f.read_text()):
            if d and d.get("kind") == "Kustomization" and d.get("apiVersion", "").startswith("kustomize.toolkit.fluxcd.io/"):
                found.append((d["metadata"]["name"] != "flux-system", d["metadata"]["name"], d["spec"]["path"], str(f)))
    if not found:
        sys.exit(f"no Flux Kustomization under {sys.argv[1]}")
    for _, name, path, f in sorted(found):
        print(name, path, f)


if __name__ == "__main__":
    main()
