#!/usr/bin/env bash
# Everything the local platform (npm run platform) runs that the cluster (tools/cluster.sh) does not
# bring: each part's builder in tools/platform/, binaries into ~/.cache/flotilla and images into
# $PLATFORM_IMAGES, keyed by version. Idempotent; the pipeline's own tools come from
# tools/delivery.sh (crane, cosign, syft) and Flux's CLI from tools/gitops.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/delivery.sh
bash tools/gitops.sh
for part in tools/platform/*.sh; do
  [[ "$part" == tools/platform/lib.sh ]] || bash "$part"
done
