#!/usr/bin/env bash
# The metrics scenarios (ci/platform/metrics.sh) against a cluster instance of their own, until
# tier platform wires them in: build (tools/platform/monitoring.sh), `cluster up --fresh`, import
# the images, `kubectl apply --server-side -k deploy/flux/infrastructure/local/monitoring`, the
# fleet chart with ci/platform/metrics-values.yaml, the scenarios, `cluster down` (always;
# FLOTILLA_CLUSTER_KEEP=1 keeps it). Prints `tier platform-metrics: N passed, M failed`.
#   FLOTILLA_CLUSTER=h-metrics bash ci/platform/try-metrics.sh
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD
export FLOTILLA_CLUSTER=${FLOTILLA_CLUSTER:-flotilla-metrics}
WORK=$(mktemp -d /tmp/try-metrics.XXXXXX)
exec 3>&1

source ci/lib/harness.sh
source tools/lib/tools.sh
source deploy/cluster/versions.sh
source deploy/cluster/lib/config.sh
source tools/versions/monitoring.sh
source ci/cluster/lib.sh
source ci/platform/metrics.sh
VALUES+=(-f "$ROOT/ci/platform/metrics-values.yaml")

cleanup() {
  set +e
  sink_stop
  [[ "${FLOTILLA_CLUSTER_KEEP:-}" == 1 ]] || cluster down >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

tier_begin platform-metrics

phase "build (tools/platform/monitoring.sh)"
require "Prometheus, the operator, its reloader, Alertmanager, kube-state-metrics and their images" \
  bash tools/platform/monitoring.sh
for t in prometheus prometheus-operator prometheus-config-reloader alertmanager kube-state-metrics; do
  printf '        %-28s last build %5s s wall, %5s s CPU; image %s MB\n' "$t" \
    "$(cat "$FLOTILLA_CACHE/logs/$t.seconds" 2>/dev/null || echo ?)" \
    "$(cat "$FLOTILLA_CACHE/logs/$t.cpu-seconds" 2>/dev/null || echo ?)" \
    "$(($(stat -L -c %s "$FLOTILLA_CACHE/platform-images/$t.tar") / 1048576))"
done

phase "up"
up_logged() { cluster up --fresh >"$WORK/up.log" 2>&1 || { tail -n 20 "$WORK/up.log"; return 1; }; }
require "npm run cluster -- up --fresh" up_logged

phase "monitoring (apply -k, Ready)"
import_images() {
  local t
  for t in $(bash tools/platform/monitoring.sh --list); do
    ctr --address "$STATE/run/containerd.sock" -n k8s.io images import "$t" >/dev/null || { fail "import $t"; return; }
  done
}
require "the monitoring images imported into the cluster's containerd" import_images
t0=$SECONDS
# One server-side apply, as Flux does; the custom resources of a first apply can precede their
# CRDs' establishment, so it is repeated once the CRDs are Established.
apply_monitoring() {
  local k=deploy/flux/infrastructure/local/monitoring
  kc apply --server-side -k "$k" >"$WORK/apply.log" 2>&1 && return 0
  if ! kc wait --for=condition=Established --timeout=60s -f "$k/crds" >/dev/null ||
    ! kc apply --server-side -k "$k" >"$WORK/apply.log" 2>&1; then
    tail -n 10 "$WORK/apply.log"
    return 1
  fi
}
require "kubectl apply --server-side -k deploy/flux/infrastructure/local/monitoring" apply_monitoring
EVERY=2 check "operator, kube-state-metrics, Prometheus and Alertmanager Ready" eventually 300 metrics_ready
note "monitoring Ready $((SECONDS - t0)) s after the apply"
ns_restricted() {
  [[ "$(kc get ns "$MON_NS" -o jsonpath='{.metadata.labels.pod-security\.kubernetes\.io/enforce}')" == restricted ]] ||
    fail "$MON_NS does not enforce restricted"
}
check "the namespace monitoring enforces restricted Pod Security" ns_restricted

phase "fleet (load-images, helm install with the metrics values)"
require "the fleet's images (:$TAG) loaded" cluster load-images
install_fleet() {
  kc create namespace "$NS" >/dev/null 2>&1
  kc label --overwrite namespace "$NS" pod-security.kubernetes.io/enforce=restricted >/dev/null
  release --timeout 300s >"$WORK/release.log" 2>&1 || { tail -n 10 "$WORK/release.log"; return 1; }
}
require "helm upgrade --install --atomic --wait (cluster + metrics values)" install_fleet

phase "targets"
scenario_metrics_targets
phase "rules"
scenario_metrics_rules
phase "kube-state-metrics"
scenario_metrics_ksm
phase "alert"
scenario_metrics_alert

tier_end
