#!/usr/bin/env bash
# Flux's controllers as pods, tried on a cluster of one's own: builds the images
# (tools/platform/flux.sh), brings up a fresh local cluster, imports them, applies
# deploy/flux/clusters/local/flux-system/gotk-components.yaml and runs the scenarios of
# ci/platform/flux.sh; `down` at the end (FLUX_TRY_KEEP=1 leaves the cluster up).
# usage: FLOTILLA_CLUSTER=h-fluxpods bash ci/platform/try-flux.sh    (root: the cluster needs it)
# Prints `tier platform-flux: N passed, M failed`.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD
export FLOTILLA_CLUSTER=${FLOTILLA_CLUSTER:-flux-try}
source ci/lib/harness.sh
source tools/lib/tools.sh
cluster() { bash "$ROOT/deploy/cluster/cluster.sh" "$@"; }
kc() { cluster kubectl "$@"; }
source ci/platform/flux.sh

tier_begin platform-flux
exec 3>&1
WORK=$(mktemp -d /tmp/flotilla-flux.XXXXXX)
chmod 755 "$WORK"
cleanup() {
  flux_test_cleanup
  [[ "${FLUX_TRY_KEEP:-}" == 1 ]] || cluster down >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

phase "tools"
require "tools: Flux's controllers, CRDs and images (tools/platform/flux.sh)" bash tools/platform/flux.sh
for c in "${FLUX_POD_CONTROLLERS[@]}"; do
  echo "  $(tools_built "$c"), image $(tools_built "platform-images/$c")" \
    "($(du -k "$FLOTILLA_CACHE/platform-images/$c/$c.tar" | cut -f1) KiB)"
done

phase "cluster up"
up_logged() { cluster up --fresh >"$WORK/cluster-up.log" 2>&1 || { tail -n 20 "$WORK/cluster-up.log"; return 1; }; }
require "cluster $FLOTILLA_CLUSTER up --fresh" up_logged

phase "install"
require "flux: the four images imported into the cluster's containerd" flux_images_import
require "flux: gotk-components.yaml applied (server-side), every controller Available" flux_install

phase "controllers"
scenario_flux_controllers
phase "reconcile"
scenario_flux_reconcile
phase "events"
scenario_flux_events

tier_end
