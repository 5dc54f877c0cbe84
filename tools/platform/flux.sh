#!/usr/bin/env bash
# Flux's controllers as pods on the local platform: the four controllers (source, kustomize,
# notification, helm) built by tools/gitops.sh from the Go module proxy (static, stripped; with
# the flux CLI and the CRDs of the same versions, tools/versions/flux.sh), each written into a
# single-layer image by deploy/cluster/mkimage.py: flotilla.local/<controller>:<version> at
# $FLOTILLA_CACHE/platform-images/<controller>/<controller>.tar, imported into the cluster's
# containerd like the add-ons (the manifests, deploy/flux/clusters/local/flux-system/, say
# imagePullPolicy Never). The image holds the binary and an empty /tmp and /data (mount points
# of the pods' emptyDirs: the root filesystem is read-only); no CA bundle: the controllers trust
# the API server through their ServiceAccount's ca.crt, and a registry with a private CA through
# the source's certSecretRef. Idempotent; see tools/lib/tools.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/lib/tools.sh
source tools/versions/flux.sh

bash tools/gitops.sh

# tool_tree keeps its lock and log under the tree's name
mkdir -p "$FLOTILLA_CACHE/locks/platform-images" "$FLOTILLA_CACHE/logs/platform-images"

flux_image() { # dir controller
  local out=$1 c=$2 root rc=0
  root=$(mktemp -d /tmp/flotilla-rootfs.XXXXXX)
  mkdir -p "$root/fs/tmp" "$root/fs/data" && chmod 1777 "$root/fs/tmp"
  install -m 0755 "$TOOLS_BIN/$c" "$root/fs/$c"
  python3 deploy/cluster/mkimage.py "flotilla.local/$c:$(flux_controller_version "$c")" "$root/fs" "$out/$c.tar" \
    "[\"/$c\"]" || rc=$?
  rm -rf "$root"
  return "$rc"
}

for c in "${FLUX_POD_CONTROLLERS[@]}"; do
  tool_tree "platform-images/$c" \
    "$(flux_controller_version "$c") $(cat "$TOOLS_BIN/.$c.version" deploy/cluster/mkimage.py | sha256sum | cut -c1-16)" \
    flux_image "$c"
done
