#!/usr/bin/env bash
# Tier observability: deploy/monitoring checked offline, with the tools that run it. One scenario
# (ci/observability/static.sh): generated files up to date; promtool check config/rules and the
# rules' unit tests; every alert with a runbook and tests; amtool check-config and the routing
# table; dashval (strict dashboards); the collectors' configs validate. Each with a negative control.
# The live half (Prometheus, Alertmanager, the collector, VictoriaLogs, Jaeger and the fleet
# running together) is tier platform's, on the cluster (docs/platform.md, "Proven by tier platform").
# Prints `tier observability: N passed, M failed`.
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
echo "  $(promtool --version 2>&1 | head -1); $(amtool --version 2>&1 | head -1)"
echo "  $(tools_built otelcol-flotilla); $(tools_built dashval)"

W=$(mktemp -d /tmp/flotilla-observability.XXXXXX)
trap 'rm -rf "$W"' EXIT
for f in lib static; do
  # shellcheck source=/dev/null
  source "ci/observability/$f.sh"
done

phase static
scenario_static
tier_end
