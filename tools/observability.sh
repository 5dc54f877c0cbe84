#!/usr/bin/env bash
# Tools of tier `observability`, installed once per machine (tools/lib/tools.sh):
#   Debian: prometheus 2.42 + promtool, prometheus-alertmanager 0.25 + amtool, the mysqld and redis
#           exporters (docs/observability.md, "Versions", says why Debian's and not a source build),
#           nginx and envsubst (web's real config, for traces through it)
#   Go module proxy: VictoriaLogs, the OpenTelemetry Collector (logs and traces) built with ocb from
#           deploy/monitoring/otelcol/builder.yaml, FerretDB (scripts/store-servers.sh), and dashval
#           (tools/dashval, the strict dashboard validator on Grafana's Apache-2.0 Go SDK),
#           helm (tier k8s's spec: tools/k8s.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tools/lib/tools.sh
source tools/lib/tools.sh
# shellcheck source=scripts/store-servers.sh
source scripts/store-servers.sh

VICTORIALOGS_VERSION=v1.52.1
OCB_VERSION=v0.165.0

apt_need prometheus prometheus-alertmanager prometheus-mysqld-exporter prometheus-redis-exporter \
  mariadb-server mariadb-client redis-server nginx gettext-base

go_tool victoria-logs github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs "$VICTORIALOGS_VERSION" -ldflags "-s -w"
go_tool ocb go.opentelemetry.io/collector/cmd/builder "$OCB_VERSION" -ldflags "-s -w"

# The file exporter's tests import otlpencodingextension, which the Go module proxy does not serve
# (every version refused); ocb's `go mod tidy` still wants it. Tests are never built into the
# binary, so an empty module stands in for it.
build_otelcol() {
  local dir stub=github.com/open-telemetry/opentelemetry-collector-contrib/extension/encoding/otlpencodingextension
  dir=$(mktemp -d /tmp/flotilla-ocb.XXXXXX)
  mkdir -p "$dir/stub"
  printf 'module %s\n\ngo 1.24\n' "$stub" >"$dir/stub/go.mod"
  echo "package otlpencodingextension // test-only import of the file exporter, never built" >"$dir/stub/doc.go"
  { sed "s#^  output_path: .*#  output_path: $dir/dist#" deploy/monitoring/otelcol/builder.yaml
    printf 'replaces:\n  - %s => %s\n' "$stub" "$dir/stub"; } >"$dir/builder.yaml"
  GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-buildvcs=false -trimpath" nice -n 10 \
    "$TOOLS_BIN/ocb" --config "$dir/builder.yaml" --ldflags "-s -w" &&
    install -m 0755 "$dir/dist/otelcol-flotilla" "$TOOLS_BIN/otelcol-flotilla"
  local rc=$?
  rm -rf "$dir"
  return $rc
}
tool_build otelcol-flotilla "ocb $OCB_VERSION $({ cat deploy/monitoring/otelcol/builder.yaml; declare -f build_otelcol; } | sha256sum | cut -c1-16)" build_otelcol

go_local_build dashval tools/dashval -ldflags "-s -w"
# helm renders the chart's collector config: tier k8s's spec, built here too so this tier does not
# depend on the order tiers run in (the lock makes a parallel build wait for the other)
# shellcheck source=tools/k8s.sh
source tools/k8s.sh
install_helm

store_install
