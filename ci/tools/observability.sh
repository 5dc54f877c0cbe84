#!/usr/bin/env bash
# Tools of tier `observability`, installed once per machine (ci/lib/tools.sh):
#   Debian: prometheus 2.42 + promtool, prometheus-alertmanager 0.25 + amtool, the mysqld and redis
#           exporters (docs/observability.md, "Versions", says why Debian's and not a source build)
#   Go module proxy: VictoriaLogs, the OpenTelemetry Collector built with ocb from
#           deploy/monitoring/otelcol/builder.yaml, FerretDB (ci/store/servers.sh), and dashval
#           (ci/observability/dashval, the strict dashboard validator on Grafana's Apache-2.0 Go SDK)
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=ci/lib/tools.sh
source ci/lib/tools.sh
# shellcheck source=ci/store/servers.sh
source ci/store/servers.sh

VICTORIALOGS_VERSION=v1.52.1
OCB_VERSION=v0.165.0

apt_need prometheus prometheus-alertmanager prometheus-mysqld-exporter prometheus-redis-exporter \
  mariadb-server mariadb-client redis-server

go_tool victoria-logs github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs "$VICTORIALOGS_VERSION" -ldflags "-s -w"
go_tool ocb go.opentelemetry.io/collector/cmd/builder "$OCB_VERSION" -ldflags "-s -w"

build_otelcol() {
  local dir
  dir=$(mktemp -d /tmp/flotilla-ocb.XXXXXX)
  sed "s#^  output_path: .*#  output_path: $dir/dist#" deploy/monitoring/otelcol/builder.yaml >"$dir/builder.yaml"
  GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-buildvcs=false -trimpath" nice -n 10 \
    "$TOOLS_BIN/ocb" --config "$dir/builder.yaml" --ldflags "-s -w" &&
    install -m 0755 "$dir/dist/otelcol-flotilla" "$TOOLS_BIN/otelcol-flotilla"
  local rc=$?
  rm -rf "$dir"
  return $rc
}
tool_build otelcol-flotilla "ocb $OCB_VERSION $(sha256sum <deploy/monitoring/otelcol/builder.yaml | cut -c1-16)" build_otelcol

go_local_build dashval ci/observability/dashval -ldflags "-s -w"

store_install
