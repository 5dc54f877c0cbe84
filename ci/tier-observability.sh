#!/usr/bin/env bash
# Tier observability: deploy/monitoring proven with real processes and real data. Scenarios (each
# in ci/observability/NAME.sh):
#   static     generated files, promtool/amtool/dashval checks and unit tests, collector configs
#   databases  MariaDB + Redis + FerretDB (scripts/store-servers.sh) and their exporters
#   fleet      every scraped service as its image runs it (esbuild bundles), tracing on
#   backends   Prometheus 2.42 + Alertmanager 0.25 (Debian), VictoriaLogs, the OpenTelemetry
#              Collector (logs to VictoriaLogs, traces to a file), web's nginx in front of stats
#   traffic    requests to every service, some with known request ids and traces
#   metrics    every target up, every recording rule and dashboard panel with data, clean /metrics
#   alerts     a killed service's alert reaching Alertmanager's receiver and resolving, inhibition
#   logs       a request found in the logs by its x-request-id with route and status
#   traces     web (nginx) -> stats, routeguide server -> backend, store -> MySQL, Redis, MongoDB,
#              trace ids in the log lines; each with a negative control
# Everything binds 127.0.0.1 on ports 25000-25999, below the ephemeral range (ci/lib/ports.py says
# why). Prints `tier observability: N passed, M failed`.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
export CI=${CI:-true}
# shellcheck source=ci/lib/harness.sh
source ci/lib/harness.sh
tier_begin observability

phase tools
require "tools (tools/observability.sh)" bash tools/observability.sh
# shellcheck source=tools/lib/tools.sh
source tools/lib/tools.sh
NODE=$ROOT/node_modules/.bin/node
[[ -x "$NODE" ]] || npm ci --no-audit --no-fund >/dev/null
echo "  $(prometheus --version 2>&1 | head -1); $(prometheus-alertmanager --version 2>&1 | head -1)"
echo "  $(tools_built otelcol-flotilla); $(tools_built victoria-logs); $(tools_built dashval)"

MON=deploy/monitoring
W=$(mktemp -d /tmp/flotilla-observability.XXXXXX)
chmod 711 "$W"
PIDS=()
declare -A SVC_PID=()
cleanup() {
  for pid in "${SVC_PID[@]}" "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  store_stop_all 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT

for f in lib static databases fleet backends traffic metrics alerts logs traces; do
  # shellcheck source=/dev/null
  source "ci/observability/$f.sh"
done
# shellcheck source=scripts/store-servers.sh
source scripts/store-servers.sh
# shellcheck source=ci/lib/web-nginx.sh
source ci/lib/web-nginx.sh
mapfile -t SCRAPED < <("$NODE" scripts/monitoring.ts scraped)
mapfile -t TIER_PORTS < <(tier_ports)
require "the tier's ${#TIER_PORTS[@]} ports are free and outside the ephemeral range (ci/lib/ports.py)" \
  python3 ci/lib/ports.py check "${TIER_PORTS[@]}"

phase static
scenario_static
phase databases
scenario_databases
phase fleet
scenario_fleet
phase backends
scenario_backends
phase traffic
scenario_traffic
phase metrics
scenario_metrics
phase alerts
scenario_alerts
phase logs
scenario_logs
phase traces
scenario_traces
tier_end
