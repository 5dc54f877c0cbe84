# shellcheck shell=bash
# One Flux release, pinned as a set: the versions the flux CLI v2.9.5's go.mod names for the
# controllers' APIs, so the CLI, the controllers and their CRDs agree. All need Go >= 1.26.0;
# the v1.10.x controllers are served too but need Go 1.27 (GOTOOLCHAIN), and helm-controller
# v1.7.x is not served, so the newer set cannot be completed.
FLUX_VERSION=v2.9.5
SOURCE_CONTROLLER_VERSION=v1.9.5
KUSTOMIZE_CONTROLLER_VERSION=v1.9.5
HELM_CONTROLLER_VERSION=v1.6.4 # the module lists no versions: named exactly (= flux2's helm-controller/api)

# Where tools/gitops.sh puts the CRDs of these versions.
FLUX_CRDS=${FLOTILLA_CACHE:-$HOME/.cache/flotilla}/flux-crds-$SOURCE_CONTROLLER_VERSION-$KUSTOMIZE_CONTROLLER_VERSION-$HELM_CONTROLLER_VERSION
