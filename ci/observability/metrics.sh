# shellcheck shell=bash
# Tier observability, metrics: every target up, the exporters reach their databases (and see one
# go down), every recording rule and every dashboard panel with data, promtool-clean /metrics.

scenario_metrics() {
  N_FLEET=${#TARGETS[@]}
  check "every target up ($N_FLEET service processes, 3 exporters, Prometheus, Alertmanager)" eventually 60 all_up
  check "exporters reach MariaDB, Redis and FerretDB (mysql_up, redis_up, mongodb_up = 1)" eventually 30 exporters_see_databases
  traffic 10
  check "every recording rule produces series" eventually 60 python3 ci/observability/prom-assert.py "$PROM" records "$MON/rules"
  check "every dashboard panel query returns data" eventually 60 \
    python3 ci/observability/prom-assert.py "$PROM" panels "$MON"/grafana/dashboards/*.json
  store_stop_ferretdb
  check "MongoDB exporter reports mongodb_up 0 while FerretDB is stopped" eventually 30 mongo_down_seen
  store_start_ferretdb
  check "... and 1 again once it is back" eventually 30 exporters_see_databases
  check "promtool check metrics: every service's /metrics and the MongoDB exporter's clean" metrics_lint
  check "promtool check metrics rejects prom-client's unfixed defaults (negative control)" neg_metrics_lint
}

all_up() { python3 ci/observability/prom-assert.py "$PROM" targets "flotilla=$N_FLEET" mysql=1 redis=1 mongodb=1 alertmanager=1 prometheus=1; }
exporters_see_databases() {
  local m
  for m in mysql_up redis_up mongodb_up; do
    [[ "$(prom_value "$m")" == 1 ]] || fail "$m is not 1"
  done
}
mongo_down_seen() { [[ "$(prom_value mongodb_up)" == 0 ]]; }

# promtool check metrics: every service's /metrics (and our MongoDB exporter's) clean; the kit drops
# prom-client's three gauges named like counters (packages/service-kit/src/default-metric-names.ts).
metrics_lint() {
  local t out
  for t in "${TARGETS[@]}" "mongodb-exporter=$P_MONGO_EXP"; do
    out=$(curl -sf "http://127.0.0.1:${t#*=}/metrics" | promtool check metrics 2>&1) || fail "${t%%=*}: ${out:-no /metrics}"
  done
}
neg_metrics_lint() { # prom-client's default metrics as they come, without the kit's fix
  local out
  out=$("$NODE" ci/observability/unfixed-default-metrics.ts | promtool check metrics 2>&1) && fail "promtool found nothing" && return 1
  [[ "$out" == *'nodejs_active_handles_total non-counter metrics should not have "_total" suffix'* ]] || fail "unexpected: $out"
}
