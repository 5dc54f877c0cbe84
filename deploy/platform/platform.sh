#!/usr/bin/env bash
# The local platform: `npm run platform -- up|status|open|sync|down`. The local cluster
# (deploy/cluster), an OCI registry in it, the fleet's images and chart published there by the
# delivery pipeline's own steps (built, SBOM, pushed, signed, verified), Flux's controllers as pods
# bootstrapped from signed OCI artifacts in that registry, and Flux reconciling
# deploy/flux/clusters/local: the operations stack first, then the fleet. See docs/platform.md.
set -euo pipefail
PLATFORM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$PLATFORM_DIR/../.." && pwd)
CLUSTER_SH=$REPO/deploy/cluster/cluster.sh
source "$REPO/deploy/cluster/versions.sh"
source "$REPO/deploy/cluster/lib/config.sh"
source "$REPO/tools/versions/platform.sh"
source "$REPO/tools/versions/flux.sh"
for f in common pki registry publish flux; do source "$PLATFORM_DIR/lib/$f.sh"; done

usage() {
  cat <<USAGE
usage: npm run platform -- COMMAND      (instance: FLOTILLA_CLUSTER=${CLUSTER})
  up [--fresh]   the cluster (npm run cluster -- up), then what is missing of the platform: the
                 registry, the fleet published by the pipeline's steps, Flux, the reconciled
                 infrastructure and fleet; returns when every Flux object and pod is Ready
  status         Flux's objects and their conditions, the pods, the registry's repositories and tags
  open           port-forwards the dashboard, Prometheus, Alertmanager, the log UI and the trace UI
  sync           publishes deploy/ again (PLATFORM_SOURCE: another checkout) (a new manifests artifact) and has Flux
                 reconcile it now: how a change reaches the local platform
  stop           stops every process and keeps the state (npm run cluster -- stop): a later `up`
                 starts it again with the registry's images, Flux's objects and the volumes
  down           stops the cluster and removes everything (npm run cluster -- down)
USAGE
}

main() {
  local cmd=${1:-}
  shift || true
  case "$cmd" in
    up) cmd_up "$@" ;;
    status) need_up; cmd_status ;;
    open) need_up; cmd_open ;;
    sync) need_up; cmd_sync ;;
    stop) bash "$CLUSTER_SH" stop ;;
    down) bash "$CLUSTER_SH" down ;;
    -h | --help | help) usage ;;
    "") usage; exit 2 ;;
    *) usage >&2; die "unknown command '$cmd'" ;;
  esac
}

cmd_up() {
  local fresh=()
  case "${1:-}" in "") ;; --fresh) fresh=(--fresh) ;; *) die "up: unknown option '$1' (only --fresh)" ;; esac
  local log started_at="" pods_since=()
  # a cluster that was not running (stopped, or from nothing) starts now: its pods are Ready only
  # once their containers started after this, whatever the API still says from before the stop
  if ! { [[ -f "$KUBECONFIG_HOST" ]] && k get --raw /readyz >/dev/null 2>&1; }; then
    started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    pods_since=(--since "$started_at")
  fi
  log=$(mktemp /tmp/flotilla-platform-up.XXXXXX) # --fresh removes the state directory first
  bash "$CLUSTER_SH" up "${fresh[@]}" >"$log" 2>&1 || die "the cluster did not come up: $(tail -n 3 "$log")"
  mkdir -p "$PSTATE" "$PLATFORM_LOGS" && mv "$log" "$PLATFORM_LOGS/cluster-up.log"
  step "cluster up"
  bash "$REPO/tools/platform.sh" >"$PLATFORM_LOGS/tools.log" 2>&1 ||
    die "building the platform's parts failed: $(tail -n 5 "$PLATFORM_LOGS/tools.log")"
  step "platform parts built (tools/platform.sh)"
  platform_images_import || die "importing the platform's images failed"
  registry_up
  step "registry Ready at $REGISTRY"
  publish_fleet
  step "fleet images built, pushed, signed and verified by the pipeline's steps"
  publish_manifests
  step "chart and manifests published as signed OCI artifacts"
  flux_up
  step "Flux controllers Ready"
  flux_bootstrap
  flux_wait 900 || die "not every Flux object became Ready: $(flux_not_ready)
$(failed_pods_logs)"
  step "every Flux Kustomization and HelmRelease Ready"
  pods_wait 300 "${pods_since[@]}" || die "pods not Ready: $(pods_not_ready "${pods_since[@]}")"
  step "every pod Ready"
  print_where
}

main "$@"
