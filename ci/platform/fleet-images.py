#!/usr/bin/env python3
"""Checks that every container of the fleet's pods runs an image of REGISTRY named by digest, that
the runtime ran exactly that digest, and that the kubelet pulled it (a `Pulled` event: "Successfully
pulled image ..." or, for a pod started after another had pulled it, "already present").

usage: fleet-images.py PODS.json EVENTS.json REGISTRY     (kubectl get pods / events -o json)
Prints one line per image; exit 1 naming every container that breaks a rule.
"""

import json
import sys


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    pods = json.load(open(argv[0]))["items"]
    events = json.load(open(argv[1]))["items"]
    registry = argv[2].rstrip("/") + "/"
    pulled = {
        e["message"].split('"')[1]
        for e in events
        if e.get("reason") == "Pulled" and e.get("message", "").startswith("Successfully pulled image")
    }
    bad, seen = [], {}
    for pod in pods:
        name = pod["metadata"]["name"]
        statuses = {s["name"]: s for s in pod.get("status", {}).get("containerStatuses", [])}
        statuses.update({s["name"]: s for s in pod.get("status", {}).get("initContainerStatuses", [])})
        for c in pod["spec"].get("initContainers", []) + pod["spec"]["containers"]:
            image = c["image"]
            where = f"{name}/{c['name']}"
            if not image.startswith(registry) or "@sha256:" not in image:
                bad.append(f"{where}: {image} is not an image of {registry} by digest")
                continue
            ran = statuses.get(c["name"], {}).get("imageID", "")
            if ran and ran.split("@")[-1] != image.split("@")[-1]:
                bad.append(f"{where}: runs {ran}, not {image}")
            seen[image] = seen.get(image, 0) + 1
    if not seen and not bad:
        bad.append("no container found")
    for image, count in sorted(seen.items()):
        if image not in pulled:
            bad.append(f"{image}: no 'Successfully pulled image' event")
        else:
            print(f"pulled by digest: {image} ({count} containers)")
    for line in bad:
        print(line, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
