#!/usr/bin/env python3
"""Writes a single-layer image as a docker-archive tarball (what `docker save` writes, and
`ctr images import` reads) from a root filesystem directory: no registry, no Docker engine.
Reproducible: files sorted, owned by 0:0, mtime 0.

usage: mkimage.py REF ROOTFS OUT.tar ENTRYPOINT-JSON [CMD-JSON]   (JSON lists, or null)
"""

import hashlib
import io
import json
import os
import sys
import tarfile


def layer_bytes(rootfs: str) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for dirpath, dirnames, filenames in os.walk(rootfs):
            dirnames.sort()
            for name in sorted(dirnames + filenames):
                path = os.path.join(dirpath, name)
                info = tar.gettarinfo(path, arcname=os.path.relpath(path, rootfs))
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                info.mtime = 0
                if info.isfile():
                    with open(path, "rb") as f:
                        tar.addfile(info, f)
                else:
                    tar.addfile(info)
    return buf.getvalue()


def main() -> None:
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    ref, rootfs, out, entrypoint = sys.argv[1:5]
    cmd = sys.argv[5] if len(sys.argv) == 6 else "null"
    layer = layer_bytes(rootfs)
    diff_id = hashlib.sha256(layer).hexdigest()
    config = json.dumps({
        "architecture": "amd64",
        "os": "linux",
        "created": "1970-01-01T00:00:00Z",
        "config": {"Entrypoint": json.loads(entrypoint), "Cmd": json.loads(cmd), "WorkingDir": "/",
                   "Env": ["PATH=/bin:/usr/bin:/sbin:/usr/sbin"]},
        "rootfs": {"type": "layers", "diff_ids": [f"sha256:{diff_id}"]},
        "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "deploy/cluster/mkimage.py"}],
    }, sort_keys=True).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    manifest = json.dumps([{"Config": config_name, "RepoTags": [ref], "Layers": [f"{diff_id}/layer.tar"]}]).encode()
    with tarfile.open(out, "w") as tar:
        for name, data in ((config_name, config), (f"{diff_id}/layer.tar", layer), ("manifest.json", manifest)):
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 0
            tar.addfile(info, io.BytesIO(data))
    print(f"{ref}: {out} ({len(layer) // 1024} KiB)")


if __name__ == "__main__":
    main()
