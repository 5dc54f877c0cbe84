# shellcheck shell=bash
# One Flux release, pinned as a set: the versions the flux CLI v2.9.5's go.mod names for the
# controllers' APIs, so the CLI, the controllers and their CRDs agree. All need Go >= 1.26.0;
# the v1.10.x controllers are served too but need Go 1.27 (GOTOOLCHAIN), and helm-controller
# v1.7.x is not served, so the newer set cannot be completed.
FLUX_VERSION=v2.9.5
SOURCE_CONTROLLER_VERSION=v1.9.5
KUSTOMIZE_CONTROLLER_VERSION=v1.9.5
HELM_CONTROLLER_VERSION=v1.6.4 # the module lists no versions: named exactly (= flux2's helm-controller/api)
# flux2 v2.9.5 names notification-controller/api v1.9.4, but the proxy does not serve the controller
# v1.9.4 (nor v1.9.1, v1.9.5+, v1.10.x); v1.9.3 is the newest it serves. Its api module differs
# from v1.9.4's only in go.mod/go.sum (dependency bumps), so its CRDs are the same.
NOTIFICATION_CONTROLLER_VERSION=v1.9.3
FLUX2_NOTIFICATION_CONTROLLER=v1.9.4 # what flux2's manifests name (tools/platform/flux-components.sh)

# Where tools/gitops.sh puts the CRDs of these versions.
FLUX_CRDS=${FLOTILLA_CACHE:-$HOME/.cache/flotilla}/flux-crds-$SOURCE_CONTROLLER_VERSION-$KUSTOMIZE_CONTROLLER_VERSION-$HELM_CONTROLLER_VERSION-$NOTIFICATION_CONTROLLER_VERSION

# The controllers that run as pods on the local platform, and the version of each
# (tools/platform/flux.sh builds their images flotilla.local/<controller>:<version>).
FLUX_POD_CONTROLLERS=(source-controller kustomize-controller notification-controller helm-controller)
flux_controller_version() {
  case $1 in
    source-controller) echo "$SOURCE_CONTROLLER_VERSION" ;;
    kustomize-controller) echo "$KUSTOMIZE_CONTROLLER_VERSION" ;;
    helm-controller) echo "$HELM_CONTROLLER_VERSION" ;;
    notification-controller) echo "$NOTIFICATION_CONTROLLER_VERSION" ;;
    *) return 1 ;;
  esac
}
