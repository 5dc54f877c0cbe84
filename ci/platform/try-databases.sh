#!/usr/bin/env bash
# Runs the databases scenarios (ci/platform/databases.sh) on an instance of the local cluster:
# builds and imports the images, applies deploy/flux/infrastructure/local/databases, writes the Secrets, installs the fleet with ci/platform/databases-values.yaml.
#   FLOTILLA_CLUSTER=h-databases bash ci/platform/try-databases.sh   (the cluster must be up and
#   the fleet's images loaded: FLOTILLA_IMAGE_TAG=ci npm run cluster -- load-images)
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD
export FLOTILLA_CLUSTER=${FLOTILLA_CLUSTER:-h-databases}
WORK=$(mktemp -d /tmp/try-databases.XXXXXX)
exec 3>&1
source ci/lib/harness.sh
source tools/lib/tools.sh
source deploy/cluster/versions.sh
source ci/cluster/lib.sh
source ci/platform/databases.sh
cleanup() {
  for p in "${PF_PIDS[@]}"; do kill "$p" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT
tier_begin databases

phase build
require "images built (tools/platform/databases.sh) and imported" bash tools/platform/databases.sh --import
phase apply
t0=$SECONDS
kc create namespace "$NS" --dry-run=client -o yaml | kc apply -f - >/dev/null
kc label ns "$NS" --overwrite pod-security.kubernetes.io/enforce=restricted >/dev/null
apply_databases() { kc apply --server-side -k "$ROOT/deploy/flux/infrastructure/local/databases"; }
require "kustomization applied" apply_databases
require "Secrets written" env KUBECTL="bash $ROOT/deploy/cluster/cluster.sh kubectl" bash deploy/flux/infrastructure/local/databases/secrets.sh "$NS"
ready() { kc -n "$DB_NS" wait --for=condition=Ready pod/mariadb-0 pod/ferretdb-0 pod/redis-0 --timeout=180s; }
require "the databases Ready" ready
note "databases Ready $((SECONDS - t0)) s after apply"
phase "fleet"
t0=$SECONDS
# The chart's exporters mount their Secret 0400 as uid 65534 without an fsGroup, so they cannot
# read it (permission denied): installed without --wait, patched with fsGroup, then waited for.
install_fleet() {
  hc upgrade --install "$RELEASE" "$CHART" -n "$NS" --timeout 300s -f deploy/cluster/values.yaml \
    -f ci/platform/databases-values.yaml --set "serviceDefaults.image.tag=${FLOTILLA_IMAGE_TAG:-ci}" >/dev/null || return 1
  local d
  for d in mysql redis; do
    kc -n "$NS" patch deploy "$RELEASE-$d-exporter" --type=json \
      -p '[{"op":"add","path":"/spec/template/spec/securityContext/fsGroup","value":65534}]' >/dev/null || return 1
  done
  for d in store mysql-exporter redis-exporter; do kc -n "$NS" rollout status "deploy/$RELEASE-$d" --timeout=300s || return 1; done
}
require "fleet installed with store x3 on the databases, exporters on" install_fleet
note "fleet Ready in $((SECONDS - t0)) s"
phase scenarios
scenario_databases
tier_end
