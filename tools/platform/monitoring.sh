#!/usr/bin/env bash
# Builder of the platform's metrics part (issue 19 "Metrics"): static binaries from the Go module
# proxy into $FLOTILLA_CACHE/bin (tools/lib/tools.sh: cached by version, under a lock, CPU/wall
# recorded), then single-layer images (deploy/cluster/mkimage.py) into
# $FLOTILLA_CACHE/platform-images/<name>.tar, referenced flotilla.local/<name>:<version>:
#   prometheus                  Prometheus 3 (kubernetes SD only: Prometheus' remove_all_sd tags)
#   prometheus-operator         prometheus-operator ./cmd/operator
#   prometheus-config-reloader  the operator's config reloader sidecar
#   alertmanager                Alertmanager
#   kube-state-metrics          kube-state-metrics
# Prometheus and Alertmanager sit at /bin/<name>: the operator's StatefulSets give them only args,
# so the image's entrypoint is what runs (as in the upstream images). Idempotent: prints nothing
# when everything is cached; `--list` prints the image tarballs.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
source tools/lib/tools.sh
source tools/versions/monitoring.sh

if [[ "${1:-}" == --list ]]; then
  for n in prometheus prometheus-operator prometheus-config-reloader alertmanager kube-state-metrics; do
    echo "$FLOTILLA_CACHE/platform-images/$n.tar"
  done
  exit 0
fi

apt_need python3
common=github.com/prometheus/common/version
stamp_ld() { # version: prometheus/common's version stamp, reproducible
  echo "-s -w -X $common.Version=${1#v} -X $common.Revision=${2:-release} -X $common.Branch=HEAD \
 -X $common.BuildUser=flotilla -X $common.BuildDate=19700101-00:00:00"
}

# Prometheus: kubernetes SD only (the other SDs' cloud SDKs are most of its dependency graph).
# No `builtinassets` tag: the React UI's built assets are not in the module zip; the API (what the
# platform's checks, Grafana-style clients and promtool use) is all there. Its go.mod has no
# replace directive, so `go install module@version` builds it unchanged.
go_tool prometheus github.com/prometheus/prometheus/cmd/prometheus "$PROMETHEUS_VERSION" \
  -tags "netgo,$PROMETHEUS_TAGS" -ldflags "$(stamp_ld "$PROMETHEUS_RELEASE")"

# prometheus-operator: its go.mod replaces its API and client modules with nested folders the
# module zip lacks; go_module_build drops those replaces (the required v0.85.0 modules are used).
go_module_build prometheus-operator github.com/prometheus-operator/prometheus-operator \
  "$PROMETHEUS_OPERATOR_VERSION" ./cmd/operator -ldflags "$(stamp_ld "$PROMETHEUS_OPERATOR_VERSION")"
go_module_build prometheus-config-reloader github.com/prometheus-operator/prometheus-operator \
  "$PROMETHEUS_OPERATOR_VERSION" ./cmd/prometheus-config-reloader \
  -ldflags "$(stamp_ld "$PROMETHEUS_OPERATOR_VERSION")"

# Alertmanager v0.28.1 pins golang.org/x/net v0.33.0, x/crypto v0.31.0 and x/oauth2 v0.24.0, older
# than the fixes of their advisories: raised first (ALERTMANAGER_UPGRADES), its code unchanged.
GO_MODULE_UPGRADES=$ALERTMANAGER_UPGRADES go_module_build alertmanager github.com/prometheus/alertmanager \
  "$ALERTMANAGER_VERSION" ./cmd/alertmanager -ldflags "$(stamp_ld "$ALERTMANAGER_VERSION")"

go_tool kube-state-metrics k8s.io/kube-state-metrics/v2 "$KUBE_STATE_METRICS_VERSION" \
  -ldflags "$(stamp_ld "$KUBE_STATE_METRICS_VERSION")"

# --- images (docker-archive tarballs for `ctr images import`)
build_images() { # dir
  local out=$1 root
  root=$(mktemp -d /tmp/flotilla-rootfs.XXXXXX)
  trap 'rm -rf "$root"' RETURN
  image() { # ref tar binary
    local ref=$1 tar=$2 bin=$3
    rm -rf "$root/fs" && mkdir -p "$root/fs/bin" "$root/fs/tmp" && chmod 1777 "$root/fs/tmp"
    install -m 0755 "$TOOLS_BIN/$bin" "$root/fs/bin/$bin"
    python3 "$ROOT/deploy/cluster/mkimage.py" "$ref" "$root/fs" "$out/$tar" "[\"/bin/$bin\"]"
  }
  image "$PROMETHEUS_IMAGE" prometheus.tar prometheus
  image "$PROMETHEUS_OPERATOR_IMAGE" prometheus-operator.tar prometheus-operator
  image "$PROMETHEUS_CONFIG_RELOADER_IMAGE" prometheus-config-reloader.tar prometheus-config-reloader
  image "$ALERTMANAGER_IMAGE" alertmanager.tar alertmanager
  image "$KUBE_STATE_METRICS_IMAGE" kube-state-metrics.tar kube-state-metrics
}
inputs=$(cat "$TOOLS_BIN"/.{prometheus,prometheus-operator,prometheus-config-reloader,alertmanager,kube-state-metrics}.version \
  deploy/cluster/mkimage.py tools/platform/monitoring.sh tools/versions/monitoring.sh | sha256sum | cut -c1-16)
tool_tree platform-images-monitoring "images $inputs" build_images
mkdir -p "$FLOTILLA_CACHE/platform-images"
for t in "$FLOTILLA_CACHE/platform-images-monitoring"/*.tar; do
  ln -f "$t" "$FLOTILLA_CACHE/platform-images/$(basename "$t")"
done
