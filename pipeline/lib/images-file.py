"""An environment's images file, the one Flux reads (deploy/flux/apps/<env>/images.yaml: JSON, which
is YAML, under a comment header): chart values global.imageRegistry and
services.<name>.image.{repository,digest}. promote's reader and writer.

usage: images-file.py FILE [SVC=REF...]
    With SVC=REF arguments (REF: <registry>/<image>@<digest>), sets each service's image in FILE
    first, keeping its header and every other value. Then prints FILE's images as SVC=REF lines,
    sorted. A FILE that is not such a file, or a malformed SVC=REF: exit 2, FILE untouched.
"""

import json
import sys


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    path, updates = argv[0], argv[1:]
    try:
        with open(path) as f:
            lines = f.read().splitlines(True)
        header = "".join(line for line in lines if line.startswith("#"))
        body = "".join(line for line in lines if not line.startswith("#")).strip()
        values = json.loads(body or "{}")
        services = values.setdefault("services", {})
        for u in updates:
            name, ref = u.split("=", 1)
            repository, digest = ref.split("@", 1)
            registry, image = repository.rsplit("/", 1)  # the chart: <global.imageRegistry>/<image.repository>
            values.setdefault("global", {})["imageRegistry"] = registry
            services.setdefault(name, {})["image"] = {"repository": image, "digest": digest}
        refs = [f"{name}={values['global']['imageRegistry']}/{svc['image']['repository']}@{svc['image']['digest']}"
                for name, svc in sorted(services.items()) if svc.get("image", {}).get("digest")]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        print(f"images-file: {path}: {e!r}", file=sys.stderr)
        return 2
    if updates:
        with open(path, "w") as f:
            f.write(header + json.dumps(values, indent=2, sort_keys=True) + "\n")
    for ref in refs:
        print(ref)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
