#!/usr/bin/env bash
# The in-cluster OCI registry of the local platform: distribution v3's `registry` from the Go
# module proxy (static, stripped), written into a single-layer image (deploy/cluster/mkimage.py)
# at $PLATFORM_IMAGES/registry.tar. Idempotent; see tools/lib/tools.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/lib/tools.sh
source tools/versions/platform.sh
source tools/platform/lib.sh

go_module_build registry github.com/distribution/distribution/v3 "$DISTRIBUTION_VERSION" ./cmd/registry \
  -tags netgo,osusergo -ldflags "-s -w -X github.com/distribution/distribution/v3/version.version=$DISTRIBUTION_VERSION"

registry_rootfs() { # rootfs out.tar
  install -m 0755 "$TOOLS_BIN/registry" "$1/registry"
  python3 deploy/cluster/mkimage.py "$REGISTRY_IMAGE" "$1" "$2" '["/registry"]' '["serve", "/etc/registry/config.yml"]'
}
platform_image registry "$(cat "$TOOLS_BIN/.registry.version" deploy/cluster/mkimage.py | sha256sum | cut -c1-16)" registry_rootfs
