"""The images a service's pods run, read from `kubectl get pods -o json` (a file, or - for stdin).
Pods being deleted are left out: a rollout's old pods drain for a while after it completes.

usage: pod-images.py digests PODS.json
           the digest of every container's image (its imageID after the @), one a line, sorted
       pod-images.py runs PODS.json DIGEST
           exit 0 when every container runs DIGEST (there is at least one), else 1 naming the
           images that are not it
A file that is not a pod list, or other arguments: exit 2.
"""

import json
import sys


def image_ids(path: str) -> list[str]:
    if path == "-":
        doc = json.load(sys.stdin)
    else:
        with open(path) as f:
            doc = json.load(f)
    pods = [p for p in doc["items"] if not p["metadata"].get("deletionTimestamp")]
    return [c.get("imageID", "") for p in pods for c in p.get("status", {}).get("containerStatuses", [])]


def main(argv: list[str]) -> int:
    if not (argv[:1] == ["digests"] and len(argv) == 2 or argv[:1] == ["runs"] and len(argv) == 3):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        ids = image_ids(argv[1])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        print(f"pod-images: not a pod list: {argv[1]}: {e!r}", file=sys.stderr)
        return 2
    if argv[0] == "digests":
        for digest in sorted({i.rpartition("@")[2] for i in ids}):
            print(digest)
        return 0
    bad = [i for i in ids if not i.endswith(argv[2])]
    for i in bad:
        print(f"a pod runs {i}", file=sys.stderr)
    if not ids:
        print("no running container", file=sys.stderr)
    return 1 if bad or not ids else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
