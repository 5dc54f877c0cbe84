#!/usr/bin/env bash
# The platform's logs and traces (issue 19, docs/platform.md "Logs" and "Traces"): binaries from the
# Go module proxy, then single-layer images written by deploy/cluster/mkimage.py into
# $FLOTILLA_CACHE/platform-images/<name>.tar, referenced as flotilla.local/<name>:<version>.
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

# platform_image NAME REF ENTRYPOINT-JSON BINARY: $FLOTILLA_CACHE/platform-images/NAME.tar, a
# single-layer image of BINARY (at /NAME) and an empty /tmp, rewritten when its inputs change (the
# binary, mkimage.py, the reference). The directory is shared with the other platform builders: each
# tarball has its own lock and stamp.
IMAGES=$FLOTILLA_CACHE/platform-images
mkdir -p "$IMAGES"
platform_image() {
  local name=$1 ref=$2 entry=$3 bin=$4 stamp
  stamp="$ref $(cat "$bin" deploy/cluster/mkimage.py | sha256sum | cut -c1-16)"
  (
    flock 9
    [[ -f "$IMAGES/$name.tar" && "$(cat "$IMAGES/.$name.stamp" 2>/dev/null)" == "$stamp" ]] && exit 0
    root=$(mktemp -d /tmp/flotilla-rootfs.XXXXXX)
    trap 'rm -rf "$root"' EXIT
    mkdir -p "$root/tmp" && chmod 1777 "$root/tmp"
    install -m 0755 "$bin" "$root/$(basename "$bin")"
    python3 deploy/cluster/mkimage.py "$ref" "$root" "$IMAGES/$name.tar.tmp" "$entry" >&2 &&
      mv "$IMAGES/$name.tar.tmp" "$IMAGES/$name.tar" && echo "$stamp" >"$IMAGES/.$name.stamp"
  ) 9>"$FLOTILLA_CACHE/locks/platform-image-$name.lock"
}

platform_image victoria-logs "flotilla.local/victoria-logs:$VICTORIALOGS_VERSION" '["/victoria-logs"]' "$TOOLS_BIN/victoria-logs"
platform_image otelcol-flotilla "flotilla.local/otelcol-flotilla:${OTELCOL_VERSION#v}" '["/otelcol-flotilla"]' "$TOOLS_BIN/otelcol-flotilla"
platform_image jaeger "flotilla.local/jaeger:$JAEGER_VERSION" '["/jaeger"]' "$TOOLS_BIN/jaeger"
for name in victoria-logs otelcol-flotilla jaeger; do
  echo "$IMAGES/$name.tar $(du -m "$IMAGES/$name.tar" | cut -f1) MB"
done
