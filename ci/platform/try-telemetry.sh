#!/usr/bin/env bash
# Scenario 5 of tier platform (logs and traces) against one local cluster, without the rest of the
# platform (no registry, no Flux): what `platform up` does for this part, by hand. The cluster must be
# up (`npm run cluster -- up`) and the fleet's images built (`:ci`, tier containers; or
# FLOTILLA_IMAGE_TAG=local after `npm run images`).
#   FLOTILLA_CLUSTER=h-telemetry bash ci/platform/try-telemetry.sh
# Steps: tools/platform/telemetry.sh (binaries, images) -> import into the node's containerd ->
# `kubectl apply --server-side` of deploy/flux/infrastructure/local/telemetry with the cluster's
# POD_LOGS_DIR substituted (what Flux's postBuild does from cluster-vars) -> Redis on the node for
# store (so its trace has a storage span; the platform's store runs on its own databases) -> the
# fleet's chart with deploy/cluster/values.yaml and the tracing values of ci/platform/telemetry-values.yaml
# -> the scenario's checks (ci/platform/telemetry.sh). TELEMETRY_KEEP=1 leaves Redis and the
# release in place.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
source "$ROOT/ci/lib/harness.sh"
source "$ROOT/tools/lib/tools.sh"
source "$ROOT/tools/versions/platform.sh"
source "$ROOT/ci/platform/telemetry.sh"
CLUSTER=${FLOTILLA_CLUSTER:-flotilla}
STATE=/var/lib/flotilla/clusters/$CLUSTER
NODE_IP=10.240.0.2
WORK=$(mktemp -d /tmp/flotilla-telemetry.XXXXXX)
REDIS_PID=""
exec 3>&1
cleanup() {
  telemetry_close
  if [[ -n "$REDIS_PID" && "${TELEMETRY_KEEP:-}" != 1 ]]; then
    kill "$(cat "$WORK/redis.pid" 2>/dev/null)" 2>/dev/null
    wait "$REDIS_PID" 2>/dev/null
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

tier_begin platform-telemetry

phase build
t0=$SECONDS
require "tools/platform/telemetry.sh: VictoriaLogs, the collector, Jaeger and their images" \
  bash "$ROOT/tools/platform/telemetry.sh"
note "$(tools_built jaeger); $(du -m "$PLATFORM_IMAGES"/{victoria-logs,otelcol-flotilla,jaeger}.tar | awk '{printf "%s %s MB; ", $2, $1}')"

phase import
import_images() {
  local name
  for name in victoria-logs otelcol-flotilla jaeger; do
    ctr --address "$STATE/run/containerd.sock" -n k8s.io images import "$PLATFORM_IMAGES/$name.tar" >/dev/null || return 1
  done
}
require "the images imported into the node's containerd" import_images

phase apply
t0=$SECONDS
# shellcheck disable=SC2016 # envsubst's list of the variables it may replace, not an expansion
SUBSTITUTE='${POD_LOGS_DIR}'
apply_telemetry() {
  "$TOOLS_BIN/kustomize" build "$ROOT/deploy/flux/infrastructure/local/telemetry" |
    POD_LOGS_DIR="$STATE/pod-logs" envsubst "$SUBSTITUTE" |
    kc apply --server-side --field-manager=flotilla-platform -f - >/dev/null &&
    kc -n observability rollout status statefulset/victoria-logs --timeout=180s &&
    kc -n observability rollout status deploy/jaeger --timeout=120s &&
    kc -n observability rollout status deploy/otel-collector --timeout=120s &&
    kc -n observability-agent rollout status ds/log-agent --timeout=120s
}
require "kubectl apply --server-side -k deploy/flux/infrastructure/local/telemetry: rolled out" apply_telemetry
note "Ready $((SECONDS - t0)) s after the apply"
check "every pod of observability and observability-agent Ready, VictoriaLogs' PVC Bound (local-path)" telemetry_ready
check "Pod Security: observability restricted, the log agent's namespace privileged (control: its pod refused under restricted)" \
  telemetry_pod_security

phase fleet
# Redis on the node address, reached through a Service without selector (as tier cluster runs
# MariaDB): store's sessions go there, so its request makes a Redis client span.
redis_start() {
  command -v redis-server >/dev/null || apt_need redis-server
  cluster exec redis-server --bind "$NODE_IP" --port 6379 --save "" --appendonly no --protected-mode no \
    --pidfile "$WORK/redis.pid" --daemonize no >"$WORK/redis.log" 2>&1 &
  REDIS_PID=$!
  wait_until 20 test -s "$WORK/redis.pid" || return 1
  kc get ns "$TELEMETRY_NS" >/dev/null 2>&1 || kc create namespace "$TELEMETRY_NS" >/dev/null
  kc label --overwrite namespace "$TELEMETRY_NS" pod-security.kubernetes.io/enforce=restricted >/dev/null
  kc apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Service
metadata: {name: redis, namespace: $TELEMETRY_NS}
spec:
  ports: [{name: redis, port: 6379, targetPort: 6379}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: redis-node, namespace: $TELEMETRY_NS, labels: {kubernetes.io/service-name: redis}}
addressType: IPv4
ports: [{name: redis, port: 6379}]
endpoints: [{addresses: ["$NODE_IP"]}]
YAML
}
require "Redis on the node for store" redis_start
install_fleet() {
  cluster helm upgrade --install "$TELEMETRY_RELEASE" "$ROOT/deploy/helm/flotilla" -n "$TELEMETRY_NS" --wait --timeout 300s \
    -f "$ROOT/deploy/cluster/values.yaml" -f "$ROOT/ci/platform/telemetry-values.yaml" \
    --set "serviceDefaults.image.tag=$FLOTILLA_IMAGE_TAG" \
    --set "services.store.env.REDIS_HOST=redis.$TELEMETRY_NS.svc.cluster.local" >"$WORK/helm.log" 2>&1 ||
    { tail -n 20 "$WORK/helm.log"; return 1; }
}
t0=$SECONDS
require "the fleet's chart with tracing on (ci/platform/telemetry-values.yaml), store on Redis" install_fleet
note "fleet Ready $((SECONDS - t0)) s"

phase logs-traces
check "network: the fleet's namespace reaches the OTLP gateway (controls: not Jaeger directly; another namespace not the gateway)" \
  telemetry_network
TELEMETRY_STORE_DB=redis
require "port-forwards to VictoriaLogs, Jaeger, web and store" telemetry_open
require "a request through web's nginx to stats and one to store, with known x-request-id and traceparent" telemetry_send
t0=$SECONDS
telemetry_logs
note "logs found $((SECONDS - t0)) s after the requests"
telemetry_traces
telemetry_close

tier_end
