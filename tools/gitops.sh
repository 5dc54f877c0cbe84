#!/usr/bin/env bash
# Tools of Flux on the local cluster (tier gitops): the Flux controllers the fleet needs (source-, kustomize- and
# helm-controller), notification-controller (the platform's events and alerts) and the flux CLI, built from the Go module proxy at the versions pinned in
# tools/versions/flux.sh, their CRDs copied from the same modules into $FLUX_CRDS, the shared
# Kubernetes tools (tools/k8s.sh), a small venv (Kubernetes schemas, PyYAML) and the git
# server's Debian packages (nginx + fcgiwrap in front of git-http-backend). Idempotent; see
# tools/lib/tools.sh.
# Built one after the other, in the order of what they share least to most, so the Go build
# cache serves the later ones (k8s.io/*, controller-runtime, fluxcd/pkg, helm v4, kustomize).
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/lib/tools.sh
source tools/versions/flux.sh

bash tools/k8s.sh
apt_need git nginx fcgiwrap
pip_venv gitops tools/requirements/gitops.txt

# The controllers' own release builds: CGO off, static, stripped (their Dockerfiles/Makefiles).
# shellcheck disable=SC2054 # one -tags value, comma-separated as go build wants it
CONTROLLER_FLAGS=(-tags netgo,osusergo -ldflags "-s -w")
# source-controller v1.9.5 requires fluxcd/pkg/artifact v0.18.3, which the Go module proxy here
# does not serve; v0.18.0 is the newest of that line it does (the same API: a patch release).
source_controller_pins() {
  GOTOOLCHAIN=local go mod edit -replace=github.com/fluxcd/pkg/artifact=github.com/fluxcd/pkg/artifact@v0.18.0
}
GO_MODULE_PREPARE=source_controller_pins go_module_build source-controller github.com/fluxcd/source-controller \
  "$SOURCE_CONTROLLER_VERSION" . "${CONTROLLER_FLAGS[@]}"
go_module_build helm-controller github.com/fluxcd/helm-controller "$HELM_CONTROLLER_VERSION" . "${CONTROLLER_FLAGS[@]}"
go_module_build kustomize-controller github.com/fluxcd/kustomize-controller "$KUSTOMIZE_CONTROLLER_VERSION" . "${CONTROLLER_FLAGS[@]}"
go_module_build notification-controller github.com/fluxcd/notification-controller "$NOTIFICATION_CONTROLLER_VERSION" . \
  "${CONTROLLER_FLAGS[@]}"

# The CLI embeds `flux install`'s manifests, which its Makefile builds from the controllers'
# GitHub release assets (unreachable here). build/diff/get/reconcile never read them: embed a
# placeholder, so `flux install`/`bootstrap` of this binary are not usable (and not used).
flux_cli_manifests() {
  mkdir -p cmd/flux/manifests
  printf '# flux install manifests are not embedded in this build (see tools/gitops.sh)\n' \
    >cmd/flux/manifests/not-embedded.yaml
}
GO_MODULE_PREPARE=flux_cli_manifests go_module_build flux github.com/fluxcd/flux2/v2 "$FLUX_VERSION" ./cmd/flux \
  -ldflags "-s -w -X main.VERSION=${FLUX_VERSION#v}"

# The CRDs of exactly the versions built above.
flux_crds() {
  local out=$1 tmp mv dir
  tmp=$(mktemp -d "$out.XXXXXX")
  for mv in "github.com/fluxcd/source-controller@$SOURCE_CONTROLLER_VERSION" \
    "github.com/fluxcd/kustomize-controller@$KUSTOMIZE_CONTROLLER_VERSION" \
    "github.com/fluxcd/helm-controller@$HELM_CONTROLLER_VERSION" \
    "github.com/fluxcd/notification-controller@$NOTIFICATION_CONTROLLER_VERSION"; do
    dir=$(GOFLAGS=-mod=mod GOTOOLCHAIN=local go mod download -json "$mv" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])') || return 1
    cp "$dir"/config/crd/bases/*.yaml "$tmp/" || { rm -rf "$tmp"; return 1; }
  done
  touch "$tmp/.complete"
  rm -rf "$out" && mv "$tmp" "$out"
}
[[ -f "$FLUX_CRDS/.complete" ]] || flux_crds "$FLUX_CRDS"
