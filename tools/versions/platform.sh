# shellcheck shell=bash
# Versions of the local platform's own parts (npm run platform), built from the Go module proxy by
# tools/platform/*.sh. The in-cluster registry: distribution v3 (the CNCF registry, the code behind
# Docker Hub's and most self-hosted registries); v3.1.2 is the newest the proxy serves.
DISTRIBUTION_VERSION=v3.1.2
# Where the platform's component images go (deploy/cluster/mkimage.py tarballs, imported into the
# cluster's containerd like the add-ons).
PLATFORM_IMAGES=${FLOTILLA_CACHE:-$HOME/.cache/flotilla}/platform-images
REGISTRY_IMAGE=flotilla.local/registry:$DISTRIBUTION_VERSION
