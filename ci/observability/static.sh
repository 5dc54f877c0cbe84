# shellcheck shell=bash
# Tier observability, static: generated files up to date; promtool check config/rules and unit
# tests; every alert has a runbook and fires/stays quiet in a test; amtool check-config and routing
# tests; dashval (strict dashboards); the collectors' configs validate. Each with a negative control.

scenario_static() {
  check "generated monitoring files up to date (scripts/monitoring.ts --check)" "$NODE" scripts/monitoring.ts --check
  check "promtool check config: npm start and compose" promtool check config "$MON/prometheus/prometheus.local.yml" "$MON/prometheus/prometheus.compose.yml"
  check "promtool check rules" promtool check rules "$MON"/rules/*.yml
  check "promtool test rules (every alert fires and stays quiet)" promtool test rules "$MON"/tests/*.test.yml
  check "every alert: summary, description, runbook with 'What to do', fire + quiet tests" \
    python3 ci/observability/check-rules.py "$MON/rules" "$MON/tests" docs/runbooks
  # Negative controls: the checks above must fail on a broken copy.
  check "promtool test rules fails on a wrong expectation (negative control)" neg_promtool_test
  check "rule checks reject a missing runbook and an untested alert (negative control)" neg_runbook

  check "amtool check-config" amtool check-config "$MON/alertmanager/alertmanager.yml"
  check "Alertmanager routing table ($MON/alertmanager/routes.test)" route_tests
  check "amtool routes test fails on a wrong receiver (negative control)" \
    sh -c "! amtool config routes test --config.file=$MON/alertmanager/alertmanager.yml --verify.receivers=default severity=critical alertname=X 2>/dev/null"

  check "dashval: every dashboard strictly valid" dashval "$MON"/grafana/dashboards/*.json
  check "dashval rejects an unknown field, a panel without a query, a fixed datasource (negative control)" neg_dashval

  check "collector config validates: logs and traces (otelcol-flotilla validate)" \
    env "${COLLECTOR_ENV[@]}" otelcol-flotilla validate "${COLLECTOR_CONFIG[@]}"
  check "the chart's log-collector config validates with the same collector build" chart_collector_config
}

neg_promtool_test() { # an expectation that does not hold
  mkdir -p "$W/neg/tests" && cp -r "$MON/rules" "$W/neg/" &&
    sed 's/service: hello, instance: "hello:8090"/service: stats, instance: "hello:8090"/' "$MON/tests/fleet-alerts.test.yml" >"$W/neg/tests/t.test.yml" &&
    ! promtool test rules "$W/neg/tests/t.test.yml"
}

neg_runbook() { # a runbook link to a page that does not exist, and an alert without tests
  local out
  mkdir -p "$W/neg2/rules" && cp "$MON"/rules/*.yml "$W/neg2/rules/" &&
    sed -i 's#runbooks/target-down.md#runbooks/nowhere.md#' "$W/neg2/rules/fleet-alerts.rules.yml" || return 1
  out=$(python3 ci/observability/check-rules.py "$W/neg2/rules" "$MON/tests" docs/runbooks || true)
  [[ "$out" == *"nowhere.md does not exist"* ]] || fail "missing runbook not reported: $out"
  out=$(python3 ci/observability/check-rules.py "$MON/rules" "$W/neg2/no-tests" docs/runbooks || true)
  [[ "$out" == *"FlotillaTargetDown has no unit test where it fires"* ]] || fail "untested alert not reported: $out"
}

route_tests() { # every line of routes.test: RECEIVER LABELS...
  local recv labels n=0
  while read -r recv labels; do
    [[ -z "$recv" || "$recv" == \#* ]] && continue
    # shellcheck disable=SC2086 # labels are separate arguments
    amtool config routes test --config.file="$MON/alertmanager/alertmanager.yml" --verify.receivers="$recv" $labels >/dev/null 2>&1 ||
      fail "route: $labels -> want $recv, got $(amtool config routes test --config.file="$MON/alertmanager/alertmanager.yml" $labels 2>/dev/null)"
    n=$((n + 1))
  done <"$MON/alertmanager/routes.test"
  ((n > 0))
}

neg_dashval() { # an unknown field, a panel without a query, a query on a fixed datasource
  python3 ci/observability/broken-dashboards.py "$MON/grafana/dashboards/flotilla-fleet.json" "$W" || return 1
  local out
  out=$(dashval "$W/bad-field.json") && return 1
  [[ "$out" == *"unexpected field 'gridPoz'"* ]] || fail "unknown field not reported: $out"
  out=$(dashval "$W/no-query.json") && return 1
  [[ "$out" == *"has no query"* ]] || fail "panel without a query not reported: $out"
  out=$(dashval "$W/fixed-datasource.json") && return 1
  [[ "$out" == *'must use the ${datasource} variable'* ]] || fail "fixed datasource not reported: $out"
}

# The chart's DaemonSet config, rendered, through the same collector build (helm: tools/observability.sh).
chart_collector_config() {
  command -v helm >/dev/null || fail "helm is missing (tools/observability.sh builds it into $TOOLS_BIN)" || return 1
  helm template flotilla deploy/helm/flotilla -n flotilla --show-only templates/log-collector.yaml --set global.imageRegistry=flotilla \
    --set monitoring.logCollector.enabled=true --set monitoring.logCollector.logsEndpoint="$VL/insert/opentelemetry/v1/logs" |
    python3 ci/observability/configmap-data.py config.yaml >"$W/chart-collector.yaml" &&
    otelcol-flotilla validate --config="$W/chart-collector.yaml"
}
