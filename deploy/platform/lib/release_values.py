#!/usr/bin/env python3
"""Writes the local release's digests into the published copy of deploy/flux/apps/local, as
pipeline/promote writes dev's into git: release/images.yaml (chart values: global.imageRegistry and
services.<name>.image.{repository,digest}, JSON, which is YAML) from the pipeline's pushed/<svc>
records, and the chart's digest into chart-source.yaml (its `tag: unpublished` line).

usage: release_values.py APPS_LOCAL_DIR CHART_DIGEST PUSHED_FILE...
"""

import json
import os
import re
import sys

DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
UNPUBLISHED = re.compile(r"^(\s+)tag: unpublished$", re.M)


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    folder, chart_digest, pushed = argv[0], argv[1], argv[2:]
    if not DIGEST.match(chart_digest):
        print(f"not a chart digest: {chart_digest!r}", file=sys.stderr)
        return 1
    values: dict = {"global": {}, "services": {}}
    for path in pushed:
        if path.endswith(".log"):
            continue
        name = os.path.basename(path)
        ref = open(path).read().strip()
        repository, _, digest = ref.partition("@")
        registry, _, image = repository.rpartition("/")
        if not DIGEST.match(digest) or not registry or image != name:
            print(f"{path}: not an image of {name} by digest: {ref!r}", file=sys.stderr)
            return 1
        if values["global"].setdefault("imageRegistry", registry) != registry:
            print(f"{path}: {registry} is not the registry of the others", file=sys.stderr)
            return 1
        values["services"][name] = {"image": {"repository": image, "digest": digest}}
    if not values["services"]:
        print("no pushed image: run the pipeline's push first", file=sys.stderr)
        return 1
    images = os.path.join(folder, "release", "images.yaml")
    header = "".join(line for line in open(images) if line.startswith("#"))
    with open(images, "w") as out:
        out.write(header + json.dumps(values, indent=2, sort_keys=True) + "\n")
    source = os.path.join(folder, "chart-source.yaml")
    text, count = UNPUBLISHED.subn(rf"\1digest: {chart_digest}", open(source).read())
    if count != 1:
        print(f"{source}: no single 'tag: unpublished' line to replace", file=sys.stderr)
        return 1
    with open(source, "w") as out:
        out.write(text)
    print(f"{len(values['services'])} images and the chart {chart_digest[:19]} written to {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
