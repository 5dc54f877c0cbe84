#!/usr/bin/env bash
# The platform's logs and traces (issue 19, docs/platform.md "Logs" and "Traces"): binaries from the
# Go module proxy, then single-layer images written by deploy/cluster/mkimage.py into
# $PLATFORM_IMAGES/<name>.tar (tools/versions/platform.sh), referenced as flotilla.local/<name>:<version>.
#   victoria-logs     VictoriaLogs (tools/observability.sh builds it; reused, same version)
#   otelcol-flotilla  the OpenTelemetry Collector built with ocb from deploy/monitoring/otelcol/builder.yaml
#                     (tools/observability.sh builds it; reused)
#   jaeger            Jaeger v2 (./cmd/jaeger of github.com/jaegertracing/jaeger v1.75.0), the trace backend
# Idempotent: each binary and the image set are keyed by their inputs (tools/lib/tools.sh).
#   bash tools/platform/telemetry.sh            builds what is missing, prints the images
#   bash tools/platform/telemetry.sh --binaries only the binaries
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tools/lib/tools.sh
source tools/lib/tools.sh
# shellcheck source=tools/versions/platform.sh
source tools/versions/platform.sh
# shellcheck source=tools/platform/lib.sh
source tools/platform/lib.sh

# VictoriaLogs and the collector are pinned once, in tools/observability.sh (their image tags in
# deploy/flux/infrastructure/local/telemetry follow them); Jaeger here.
VICTORIALOGS_VERSION=$(sed -n 's/^VICTORIALOGS_VERSION=//p' tools/observability.sh)
OTELCOL_VERSION=$(sed -n 's/^OCB_VERSION=//p' tools/observability.sh)
JAEGER_VERSION=v1.75.0 # the Go module's tag (Jaeger v2's ./cmd/jaeger of that release)

# VictoriaLogs and the collector: tools/observability.sh's recipes, run by it (one place builds them).
if [[ "$(cat "$TOOLS_BIN/.victoria-logs.version" 2>/dev/null)" != *"@$VICTORIALOGS_VERSION "* ]] ||
  [[ ! -x "$TOOLS_BIN/otelcol-flotilla" ]]; then
  bash tools/observability.sh
fi

# Jaeger: go.mod has a `replace` (sarama), so `go install mod@version` refuses it: go_module_build.
# Its UI assets are built by npm in Jaeger's release process and are not in the module zip: the
# binary serves the UI's placeholder page; the query API (/api/traces, /api/v3) is complete.
go_module_build jaeger github.com/jaegertracing/jaeger "$JAEGER_VERSION" ./cmd/jaeger \
  -ldflags "-s -w -X github.com/jaegertracing/jaeger/internal/version.latestVersion=$JAEGER_VERSION"
tools_built jaeger >&2

[[ "${1:-}" == --binaries ]] && exit 0

# Each image: the binary at /NAME and an empty /tmp (tools/platform/lib.sh's platform_image), rebuilt
# when the binary or mkimage.py changes.
single_binary_rootfs() { # rootfs out.tar ref binary
  install -m 0755 "$4" "$1/$(basename "$4")"
  python3 deploy/cluster/mkimage.py "$3" "$1" "$2" "[\"/$(basename "$4")\"]"
}
single_binary_image() { # name ref binary
  platform_image "$1" "$2 $(cat "$3" deploy/cluster/mkimage.py | sha256sum | cut -c1-16)" single_binary_rootfs "$2" "$3"
}
single_binary_image victoria-logs "flotilla.local/victoria-logs:$VICTORIALOGS_VERSION" "$TOOLS_BIN/victoria-logs"
single_binary_image otelcol-flotilla "flotilla.local/otelcol-flotilla:${OTELCOL_VERSION#v}" "$TOOLS_BIN/otelcol-flotilla"
single_binary_image jaeger "flotilla.local/jaeger:$JAEGER_VERSION" "$TOOLS_BIN/jaeger"
for name in victoria-logs otelcol-flotilla jaeger; do
  echo "$PLATFORM_IMAGES/$name.tar $(du -m "$PLATFORM_IMAGES/$name.tar" | cut -f1) MB"
done
