"""The layers a build added to an image: those of an unpacked `docker save` archive whose diff ID is
not among its base image's (build-images lists the base's in images/<svc>.base-layers), so scan
searches for secrets only in what the build put there.

usage: image-layers.py ARCHIVE_DIR BASE_LAYERS_FILE
    prints the archive's path of each such layer, in order (all of them when the base file is
    absent: an image FROM scratch). An archive without a readable manifest or config: exit 2.
"""

import json
import os
import sys


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    image, base_file = argv
    try:
        base = set()
        if os.path.exists(base_file):
            with open(base_file) as f:
                base = set(f.read().split())
        with open(os.path.join(image, "manifest.json")) as f:
            manifest = json.load(f)[0]
        with open(os.path.join(image, manifest["Config"])) as f:
            diff_ids = json.load(f)["rootfs"]["diff_ids"]
        layers = manifest["Layers"]
    except (OSError, ValueError, KeyError, IndexError, TypeError) as e:
        print(f"image-layers: not an image archive: {image}: {e!r}", file=sys.stderr)
        return 2
    for layer, diff_id in zip(layers, diff_ids):
        if diff_id not in base:
            print(layer)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
