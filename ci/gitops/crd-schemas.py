"""Turn CustomResourceDefinitions into strict JSON schemas for kubeconform, offline.

Reads every CRD in the given YAML files and writes, for each served version,
`<dest>/<group>/<kind>_<version>.json` (kind in lower case), the layout of
`-schema-location '<dest>/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json'`.
Strict like kubernetes-validate's "-strict" schemas: every object schema that lists its
properties and says nothing of others gets `additionalProperties: false`, so a misspelt field is
an error; objects marked `x-kubernetes-preserve-unknown-fields` (a HelmRelease's `values`) stay
open. apiVersion/kind/metadata are added at the top the way the API server sees them.
Prints one line per schema written.

usage: python crd-schemas.py DEST CRD.yaml...
"""

import json
import pathlib
import sys

import yaml

# A bare `=` (an enum value in prometheus-operator's CRDs) is YAML 1.1's "value" tag, which PyYAML's
# safe loader has no constructor for: read it as the string it is.
yaml.SafeLoader.add_constructor("tag:yaml.org,2002:value", yaml.SafeLoader.construct_yaml_str)


def strict(node: object) -> object:
    if isinstance(node, dict):
        node = {k: strict(v) for k, v in node.items()}
        if (node.get("type") == "object" and "properties" in node and "additionalProperties" not in node
                and not node.get("x-kubernetes-preserve-unknown-fields")):
            node["additionalProperties"] = False
        return node
    if isinstance(node, list):
        return [strict(v) for v in node]
    return node


def main() -> None:
    dest = pathlib.Path(sys.argv[1])
    for path in sys.argv[2:]:
        for crd in yaml.safe_load_all(open(path)):
            if not crd or crd.get("kind") != "CustomResourceDefinition":
                continue
            spec = crd["spec"]
            group, kind = spec["group"], spec["names"]["kind"]
            for version in spec["versions"]:
                if not version.get("served", True):
                    continue
                schema = strict(version["schema"]["openAPIV3Schema"])
                props = schema.setdefault("properties", {})
                props["apiVersion"] = {"type": "string", "enum": [f"{group}/{version['name']}"]}
                props["kind"] = {"type": "string", "enum": [kind]}
                props["metadata"] = {"type": "object"}
                schema["required"] = sorted(set(schema.get("required", [])) | {"apiVersion", "kind", "metadata"})
                out = dest / group / f"{kind.lower()}_{version['name']}.json"
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(json.dumps(schema))
                print(f"{group}/{version['name']} {kind}")


if __name__ == "__main__":
    main()
