#!/usr/bin/env bash
# Tier observability: deploy/monitoring proven with real processes and real data.
#   static    generated files up to date; promtool check config/rules and unit tests; every alert
#             has a runbook and fires/stays quiet in a test; amtool check-config and routing
#             tests; dashval (strict dashboards); the collector's config validates
#   live      the fleet as its images run it (esbuild bundles) with tracing on, web's nginx in
#             front of stats, MariaDB + Redis + FerretDB (scripts/store-servers.sh) with Debian's
#             mysqld/redis exporters and the MongoDB exporter, Prometheus 2.42 + Alertmanager 0.25
#             (Debian), the OpenTelemetry Collector (logs to VictoriaLogs, traces to a file);
#             traffic; then every target up, every recording rule and every dashboard panel with
#             data, promtool-clean /metrics, a killed service's alert reaching Alertmanager's
#             receiver and resolving, inhibition, a request found in the logs by its x-request-id
#             with route, status and trace id, and traces across services: web (nginx) -> stats,
#             routeguide server -> backend, store -> MySQL, Redis and MongoDB, each with a
#             negative control.
# Everything binds 127.0.0.1 on ports 25000-25999, below the ephemeral range (ci/lib/ports.py says
# why). Prints `tier observability: N passed, M failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CI=${CI:-true}
# shellcheck source=ci/lib/harness.sh
source ci/lib/harness.sh
tier_begin observability

phase tools
gate "tools (tools/observability.sh)" bash tools/observability.sh || {
  tier_end
  exit 1
}
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

# Ports (the tier's range: 25000-25999).
P_PROM=25090 P_AM=25093 P_SINK=25099 P_VL=25428 P_OTLP=25318 P_WEB=25180 P_WEB_STRIPPED=25181
P_MYSQLD_EXP=25404 P_REDIS_EXP=25421 P_MONGO_EXP=25416
P_SERVICES=25101 P_RG_HTTP=25199 P_RG_GRPC=25201 P_RG_BACKEND=25202 # services: one each from 25101
export STORE_MYSQL_PORT=25306 STORE_REDIS_PORT=25379 STORE_MONGO_PORT=25017
mapfile -t SCRAPED < <("$NODE" scripts/monitoring.ts scraped)
tier_ports() { # read from the declarations above: every P_*, the store's ports, one per scraped service
  local v
  for v in "${!P_@}" "${!STORE_@}"; do [[ $v == P_* || $v == STORE_*_PORT ]] && echo "${!v}"; done
  seq $((P_SERVICES + 1)) $((P_SERVICES + ${#SCRAPED[@]} - 1))
}
mapfile -t TIER_PORTS < <(tier_ports)
gate "the tier's ${#TIER_PORTS[@]} ports are free and outside the ephemeral range (ci/lib/ports.py)" \
  python3 ci/lib/ports.py check "${TIER_PORTS[@]}" || {
  tier_end
  exit 1
}
PROM=http://127.0.0.1:$P_PROM
AM=http://127.0.0.1:$P_AM
VL=http://127.0.0.1:$P_VL
FOR_OVERRIDE=10s # every rule's `for`, capped for the live run (promtool tests the real ones)

# ------------------------------------------------------------------------------------------ static
phase static
check "generated monitoring files up to date (scripts/monitoring.ts --check)" "$NODE" scripts/monitoring.ts --check
check "promtool check config: npm start and compose" promtool check config "$MON/prometheus/prometheus.local.yml" "$MON/prometheus/prometheus.compose.yml"
check "promtool check rules" promtool check rules "$MON"/rules/*.yml
check "promtool test rules (every alert fires and stays quiet)" promtool test rules "$MON"/tests/*.test.yml
check "every alert: summary, description, runbook with 'What to do', fire + quiet tests" \
  python3 ci/observability/check-rules.py "$MON/rules" "$MON/tests" docs/runbooks

# Negative controls: the checks above must fail on a broken copy.
neg_promtool_test() { # an expectation that does not hold
  mkdir -p "$W/neg/tests" && cp -r "$MON/rules" "$W/neg/" &&
    sed 's/service: hello, instance: "hello:8090"/service: stats, instance: "hello:8090"/' "$MON/tests/fleet-alerts.test.yml" >"$W/neg/tests/t.test.yml" &&
    ! promtool test rules "$W/neg/tests/t.test.yml"
}
check "promtool test rules fails on a wrong expectation (negative control)" neg_promtool_test
neg_runbook() { # a runbook link to a page that does not exist, and an alert without tests
  local out
  mkdir -p "$W/neg2/rules" && cp "$MON"/rules/*.yml "$W/neg2/rules/" &&
    sed -i 's#runbooks/target-down.md#runbooks/nowhere.md#' "$W/neg2/rules/fleet-alerts.rules.yml" || return 1
  out=$(python3 ci/observability/check-rules.py "$W/neg2/rules" "$MON/tests" docs/runbooks || true)
  [[ "$out" == *"nowhere.md does not exist"* ]] || fail "missing runbook not reported: $out"
  out=$(python3 ci/observability/check-rules.py "$MON/rules" "$W/neg2/no-tests" docs/runbooks || true)
  [[ "$out" == *"FlotillaTargetDown has no unit test where it fires"* ]] || fail "untested alert not reported: $out"
}
check "rule checks reject a missing runbook and an untested alert (negative control)" neg_runbook

check "amtool check-config" amtool check-config "$MON/alertmanager/alertmanager.yml"
route_tests() {
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
check "Alertmanager routing table ($MON/alertmanager/routes.test)" route_tests
check "amtool routes test fails on a wrong receiver (negative control)" \
  sh -c "! amtool config routes test --config.file=$MON/alertmanager/alertmanager.yml --verify.receivers=default severity=critical alertname=X 2>/dev/null"

check "dashval: every dashboard strictly valid" dashval "$MON"/grafana/dashboards/*.json
neg_dashval() { # an unknown field, a panel without a query, a query on a fixed datasource
  python3 - "$MON/grafana/dashboards/flotilla-fleet.json" "$W" <<'EOF'
import json, sys
def broken(name, change):
    d = json.load(open(sys.argv[1]))
    change(d["panels"][1])
    json.dump(d, open(f"{sys.argv[2]}/{name}.json", "w"))
broken("bad-field", lambda p: p.update(gridPoz=p.pop("gridPos")))
broken("no-query", lambda p: p.update(targets=[]))
broken("fixed-datasource", lambda p: p["targets"][0]["datasource"].update(uid="prom-prod"))
EOF
  local out
  out=$(dashval "$W/bad-field.json") && return 1
  [[ "$out" == *"unexpected field 'gridPoz'"* ]] || fail "unknown field not reported: $out"
  out=$(dashval "$W/no-query.json") && return 1
  [[ "$out" == *"has no query"* ]] || fail "panel without a query not reported: $out"
  out=$(dashval "$W/fixed-datasource.json") && return 1
  [[ "$out" == *'must use the ${datasource} variable'* ]] || fail "fixed datasource not reported: $out"
}
check "dashval rejects an unknown field, a panel without a query, a fixed datasource (negative control)" neg_dashval
# One collector: the log pipeline and the trace pipeline, each its own file.
COLLECTOR_ENV=(FLOTILLA_LOG_GLOB="$W/logs/*.log" VICTORIALOGS_URL="$VL" OTLP_HTTP_ENDPOINT="127.0.0.1:$P_OTLP" FLOTILLA_TRACES_FILE="$W/traces.jsonl")
COLLECTOR_CONFIG=(--config="$MON/otelcol/logs-files.yaml" --config="$MON/otelcol/traces-file.yaml")
check "collector config validates: logs and traces (otelcol-flotilla validate)" \
  env "${COLLECTOR_ENV[@]}" otelcol-flotilla validate "${COLLECTOR_CONFIG[@]}"
# The chart's DaemonSet config, rendered, through the same collector build (helm: tools/observability.sh).
chart_collector_config() {
  command -v helm >/dev/null || fail "helm is missing (tools/observability.sh builds it into $TOOLS_BIN)" || return 1
  helm template flotilla deploy/helm/flotilla -n flotilla --show-only templates/log-collector.yaml \
    --set monitoring.logCollector.enabled=true --set monitoring.logCollector.logsEndpoint="$VL/insert/opentelemetry/v1/logs" |
    python3 -c 'import sys, yaml; print([d for d in yaml.safe_load_all(sys.stdin) if d and d["kind"] == "ConfigMap"][0]["data"]["config.yaml"])' \
    >"$W/chart-collector.yaml" && otelcol-flotilla validate --config="$W/chart-collector.yaml"
}
check "the chart's log-collector config validates with the same collector build" chart_collector_config

# -------------------------------------------------------------------------------------- databases
phase databases
# shellcheck source=scripts/store-servers.sh
source scripts/store-servers.sh
gate "MariaDB, Redis, FerretDB started (scripts/store-servers.sh)" store_start "$W/servers" || {
  tier_end
  exit 1
}
store_versions | sed 's/^/  /'
# The exporters' own least-privilege accounts (never the service's or root).
EXPORTER_MYSQL_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
exporter_account() {
  # store_start exported MYSQL_HOST/MYSQL_PORT for the service; the client would follow them.
  env -u MYSQL_HOST -u MYSQL_PORT mariadb --no-defaults --socket="$STORE_DIR/mysql-run/mysql.sock" -uroot <<SQL && return 0
CREATE USER 'exporter'@'127.0.0.1' IDENTIFIED BY '$EXPORTER_MYSQL_PASSWORD' WITH MAX_USER_CONNECTIONS 3;
GRANT PROCESS, REPLICATION CLIENT, SELECT ON *.* TO 'exporter'@'127.0.0.1';
SQL
  tail -n 20 "$STORE_DIR/mysql-run/mysql.log"
  return 1
}
gate "MariaDB: the exporter's own account (PROCESS, REPLICATION CLIENT, SELECT)" exporter_account || {
  tier_end
  exit 1
}
printf '[client]\nuser=exporter\npassword=%s\nhost=127.0.0.1\nport=%s\n' "$EXPORTER_MYSQL_PASSWORD" "$STORE_MYSQL_PORT" >"$W/exporter.my.cnf"
chmod 600 "$W/exporter.my.cnf"

bg() { # bg NAME CMD...: run in the background, output to $W/NAME.out
  local name=$1
  shift
  "$@" >"$W/$name.out" 2>&1 &
  PIDS+=($!)
}
bg mysqld-exporter prometheus-mysqld-exporter --config.my-cnf="$W/exporter.my.cnf" --web.listen-address="127.0.0.1:$P_MYSQLD_EXP"
REDIS_PASSWORD=$(cat "$STORE_DIR/secrets/redis") bg redis-exporter prometheus-redis-exporter \
  --redis.addr="redis://127.0.0.1:$STORE_REDIS_PORT" --web.listen-address="127.0.0.1:$P_REDIS_EXP"
MONGODB_URI="mongodb://127.0.0.1:$STORE_MONGO_PORT/admin" LISTEN_ADDRESS="127.0.0.1:$P_MONGO_EXP" \
  bg mongodb-exporter "$NODE" packages/mongodb-exporter/src/main.ts

# ------------------------------------------------------------------------------------------ fleet
phase fleet
mkdir -p "$W/logs"
# The bundles the images run (scripts/build-service.ts, with the tracing plugin): tracing must work
# in them, where no library is loaded through Node's module loader.
for line in "${SCRAPED[@]}"; do
  read -r name _ <<<"$line"
  gate "$name: production bundle built (npm run build)" npm run build -w "services/$name" --silent || {
    tier_end
    exit 1
  }
done
# Tracing on in every service, to the collector, exported every 200 ms.
OTEL_ENV=(OTEL_TRACES_EXPORTER=otlp OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$P_OTLP" OTEL_BSP_SCHEDULE_DELAY=200)
TARGETS=()
start_unit() { # start_unit UNIT ENTRY ENV...: one process; stdout (JSON log lines) to the file the collector tails
  local unit=$1 entry=$2
  shift 2
  echo "$entry $*" >"$W/$unit.env"
  env "$@" "$NODE" "$entry" >>"$W/logs/$unit.log" 2>>"$W/$unit.err" &
  SVC_PID[$unit]=$!
}
start_service() { # restart one unit with the entry and env it had
  local unit=$1 entry envline
  read -r entry envline <"$W/$unit.env"
  # shellcheck disable=SC2086 # one word per variable
  start_unit "$unit" "$entry" $envline
}
port=$P_SERVICES
for line in "${SCRAPED[@]}"; do
  read -r name protocol <<<"$line"
  env=(HOST=127.0.0.1 PORT=$port LOG_LEVEL=info SHUTDOWN_DELAY_MS=0 "${OTEL_ENV[@]}")
  case $name in
    # server and backend as two processes, as the chart runs them (sidecar or StatefulSet): the
    # backend is its own service in traces, and scraped as routeguide like the PodMonitor does
    routeguide)
      env+=(ROUTEGUIDE_MODE=server "GRPC_PORT=$P_RG_GRPC" "BACKEND_ADDR=127.0.0.1:$P_RG_BACKEND")
      start_unit routeguide-backend "services/$name/dist/main.mjs" HOST=127.0.0.1 PORT=$P_RG_HTTP LOG_LEVEL=info SHUTDOWN_DELAY_MS=0 \
        "${OTEL_ENV[@]}" OTEL_SERVICE_NAME=routeguide-backend ROUTEGUIDE_MODE=backend BACKEND_PORT=$P_RG_BACKEND DATA_DIR="$W/routeguide"
      TARGETS+=("routeguide=$P_RG_HTTP")
      ;;
    store) env+=(BCRYPT_COST=4 DB_TIMEOUT_MS=1000 MIGRATION_RETRY_MS=500) ;;
  esac
  start_unit "$name" "services/$name/dist/main.mjs" "${env[@]}"
  TARGETS+=("$name=$port")
  eval "PORT_$name=$port"
  port=$((port + 1))
done
healthy() { curl -sf -m 2 "http://127.0.0.1:$1/readyz" >/dev/null; }
for t in "${TARGETS[@]}"; do
  check "${t%%=*} ready on 127.0.0.1:${t#*=} (bundle)" eventually 90 healthy "${t#*=}"
done

# --------------------------------------------------------------------------------------- backends
phase backends
tier_config() {
  python3 ci/observability/tier-config.py "$W/cfg" "$MON" "$FOR_OVERRIDE" \
    "{\"prometheus\": $P_PROM, \"alertmanager\": $P_AM, \"sink\": $P_SINK, \"mysql\": $P_MYSQLD_EXP, \"redis\": $P_REDIS_EXP, \"mongodb\": $P_MONGO_EXP}" \
    "${TARGETS[@]}" && promtool check config "$W/cfg/prometheus.yml"
}
gate "tier config from the committed ones (rules' for capped at $FOR_OVERRIDE), promtool-valid" tier_config || {
  tier_end
  exit 1
}
bg sink python3 ci/observability/webhook-sink.py "$P_SINK" "$W/alerts.jsonl"
bg alertmanager prometheus-alertmanager --config.file="$W/cfg/alertmanager.yml" --storage.path="$W/am" \
  --web.listen-address="127.0.0.1:$P_AM" --cluster.listen-address=
bg prometheus prometheus --config.file="$W/cfg/prometheus.yml" --storage.tsdb.path="$W/tsdb" \
  --web.listen-address="127.0.0.1:$P_PROM"
bg victoria-logs victoria-logs -httpListenAddr="127.0.0.1:$P_VL" -storageDataPath="$W/vl" -retentionPeriod=1d
bg otelcol env "${COLLECTOR_ENV[@]}" otelcol-flotilla "${COLLECTOR_CONFIG[@]}"
# web's real nginx in front of stats and hello, as the image runs it; and a copy that drops the
# caller's traceparent (the negative control of propagation through it).
# shellcheck source=ci/lib/web-nginx.sh
source ci/lib/web-nginx.sh
start_web() { # start_web NAME PORT [SED-EXPRESSION applied to the rendered site]
  render_web_nginx "$W/$1" "$2" "127.0.0.1:$PORT_stats" "127.0.0.1:$PORT_hello"
  if [[ -n "${3:-}" ]]; then sed -i "$3" "$W/$1/run/web.conf"; fi
  # nginx reopens /dev/stdout by path for its access log: the file behind it must be its workers'.
  touch "$W/logs/$1.log"
  if [[ "$(id -u)" == 0 ]]; then chown nobody:nogroup "$W/logs/$1.log"; fi
  bg "$1" sh -c "exec nginx -p '$W/$1' -c '$W/$1/nginx.conf' -e stderr -g 'daemon off;' >>'$W/logs/$1.log'"
}
start_web web "$P_WEB"
start_web web-stripped "$P_WEB_STRIPPED" 's/proxy_set_header traceparent $http_traceparent;/proxy_set_header traceparent "";/'
check "the stripping copy really drops traceparent" grep -q 'proxy_set_header traceparent "";' "$W/web-stripped/run/web.conf"
check "Prometheus ready" eventually 60 curl -sf "$PROM/-/ready"
check "Alertmanager ready" eventually 30 curl -sf "$AM/-/ready"
check "VictoriaLogs ready" eventually 30 curl -sf "$VL/health"
check "web (nginx, deploy/nginx) ready in front of stats" eventually 30 curl -sf "http://127.0.0.1:$P_WEB/healthz"

# ---------------------------------------------------------------------------------------- traffic
phase traffic
REQ_ID=obs-$(date +%s)-$RANDOM
# W3C trace context of the tier's own requests: known trace ids, a caller span id each.
new_trace() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }
CALLER_SPAN=00f067aa0ba902b7
TRACE_USER=$(new_trace) TRACE_POSTS=$(new_trace) TRACE_GREETING=$(new_trace) TRACE_WEB=$(new_trace) TRACE_STRIPPED=$(new_trace)
tp() { echo "traceparent: 00-$1-$CALLER_SPAN-01"; }
H=http://127.0.0.1:$PORT_hello S=http://127.0.0.1:$PORT_stats T=http://127.0.0.1:$PORT_store
post() { curl -s -o /dev/null -m 5 -H 'content-type: application/json' -X POST "$1" --data "$2"; }
traffic() {
  local i
  for i in $(seq 1 "$1"); do
    curl -s -o /dev/null -m 5 "$H/hello"
    curl -s -o /dev/null -m 5 "$H/headers"
    curl -s -o /dev/null -m 5 "$H/no-such-route"
    curl -s -o /dev/null -m 5 "$S/stats"
    curl -s -o /dev/null -m 5 "$T/greeting"
    curl -s -o /dev/null -m 5 "$T/users"
    curl -s -o /dev/null -m 5 "$T/posts"
    post "$T/session" "{\"session_id\":\"s$i\",\"data\":\"x\",\"ttl\":60}"
    curl -s -o /dev/null -m 5 "$T/session/s$i"
  done
}
seed_store() {
  local body
  body=$(curl -sf -m 10 -H 'content-type: application/json' -X POST "$T/users" \
    --data '{"username":"obs","name":"Obs","email":"obs@example.test","password":"observability-pw"}') || return 1
  USER_ID=$(grep -o '"id":[0-9]*' <<<"$body" | tr -dc 0-9)
  [[ -n "$USER_ID" ]] && post "$T/posts" '{"title":"obs","content":"observed"}'
}
check "store: seed a user and a post" seed_store
traffic 20
curl -s -o /dev/null -m 3 "$S/stats/stream" || true # SSE: a few seconds of a stream
check "routeguide client: the four RPCs" env ROUTEGUIDE_ADDR=127.0.0.1:$P_RG_GRPC "$NODE" services/routeguide/dist/client.mjs
known_request() { # GET /users/:id twice (the second a cache hit), the first with a known request id and trace
  [[ "$(curl -s -o /dev/null -w '%{http_code}' -m 5 -H "x-request-id: $REQ_ID" -H "$(tp "$TRACE_USER")" "$T/users/$USER_ID")" == 200 ]] &&
    [[ "$(curl -s -o /dev/null -w '%{http_code}' -m 5 "$T/users/$USER_ID")" == 200 ]]
}
check "store: GET /users/:id with x-request-id $REQ_ID and trace $TRACE_USER" known_request
traced_requests() { # one request per database of store's, one with none, and stats through web's nginx
  local W_URL=http://127.0.0.1:$P_WEB
  [[ "$(curl -s -o /dev/null -w '%{http_code}' -m 5 -H "$(tp "$TRACE_POSTS")" "$T/posts")" == 200 ]] &&
    [[ "$(curl -s -o /dev/null -w '%{http_code}' -m 5 -H "$(tp "$TRACE_GREETING")" "$T/greeting")" == 200 ]] &&
    [[ "$(curl -s -o /dev/null -w '%{http_code}' -m 5 -H "$(tp "$TRACE_WEB")" "$W_URL/stats")" == 200 ]] &&
    [[ "$(curl -s -o /dev/null -w '%{http_code}' -m 5 -H "$(tp "$TRACE_STRIPPED")" "http://127.0.0.1:$P_WEB_STRIPPED/stats")" == 200 ]]
}
check "traced requests: store /posts and /greeting, stats through web's nginx (and its stripping copy)" traced_requests

# ---------------------------------------------------------------------------------------- metrics
phase metrics
N_FLEET=${#TARGETS[@]}
all_up() { python3 ci/observability/prom-assert.py "$PROM" targets "flotilla=$N_FLEET" mysql=1 redis=1 mongodb=1 alertmanager=1 prometheus=1; }
check "every target up ($N_FLEET service processes, 3 exporters, Prometheus, Alertmanager)" eventually 60 all_up
exporters_see_databases() {
  for m in mysql_up redis_up mongodb_up; do
    [[ "$(python3 ci/observability/prom-assert.py "$PROM" value "$m")" == 1 ]] || fail "$m is not 1"
  done
}
check "exporters reach MariaDB, Redis and FerretDB (mysql_up, redis_up, mongodb_up = 1)" eventually 30 exporters_see_databases
traffic 10
check "every recording rule produces series" eventually 60 python3 ci/observability/prom-assert.py "$PROM" records "$MON/rules"
check "every dashboard panel query returns data" eventually 60 \
  python3 ci/observability/prom-assert.py "$PROM" panels "$MON"/grafana/dashboards/*.json
mongo_down_seen() { [[ "$(python3 ci/observability/prom-assert.py "$PROM" value mongodb_up)" == 0 ]]; }
store_stop_ferretdb
check "MongoDB exporter reports mongodb_up 0 while FerretDB is stopped" eventually 30 mongo_down_seen
store_start_ferretdb
check "... and 1 again once it is back" eventually 30 exporters_see_databases

# promtool check metrics: every service's /metrics (and our MongoDB exporter's) clean; the kit drops
# prom-client's three gauges named like counters (packages/service-kit/src/default-metric-names.ts).
metrics_lint() {
  local t out
  for t in "${TARGETS[@]}" "mongodb-exporter=$P_MONGO_EXP"; do
    out=$(curl -sf "http://127.0.0.1:${t#*=}/metrics" | promtool check metrics 2>&1) || fail "${t%%=*}: ${out:-no /metrics}"
  done
}
check "promtool check metrics: every service's /metrics and the MongoDB exporter's clean" metrics_lint
neg_metrics_lint() { # prom-client's default metrics as they come, without the kit's fix
  local out
  out=$(cd packages/service-kit && "$NODE" --input-type=module -e \
    'import { collectDefaultMetrics, register } from "prom-client"; collectDefaultMetrics(); console.log(await register.metrics());' |
    promtool check metrics 2>&1) && fail "promtool found nothing" && return 1
  [[ "$out" == *'nodejs_active_handles_total non-counter metrics should not have "_total" suffix'* ]] || fail "unexpected: $out"
}
check "promtool check metrics rejects prom-client's unfixed defaults (negative control)" neg_metrics_lint

# ----------------------------------------------------------------------------------------- alerts
phase alerts
sink_has() { # ALERTNAME STATUS SERVICE: a notification to /pager with that alert
  python3 - "$W/alerts.jsonl" "$@" <<'EOF'
import json, sys
f, name, status, service = sys.argv[1:5]
try:
    lines = open(f).read().splitlines()
except FileNotFoundError:
    sys.exit(1)
for line in lines:
    n = json.loads(line)
    for a in n["body"].get("alerts", []):
        if a["labels"].get("alertname") == name and a["status"] == status and a["labels"].get("service") == service:
            sys.exit(0 if n["path"] == "/pager" else 2)
sys.exit(1)
EOF
}
check "no FlotillaTargetDown while the fleet is up" sh -c "! python3 ci/observability/prom-assert.py $PROM value 'ALERTS{alertname=\"FlotillaTargetDown\"}'"
t_kill=$SECONDS
kill -KILL "${SVC_PID[hello]}"
check "hello killed: FlotillaTargetDown reaches the pager receiver (for: $FOR_OVERRIDE)" eventually 90 sink_has FlotillaTargetDown firing hello
echo "  fired and delivered $((SECONDS - t_kill)) s after the kill (scrape 2 s + for $FOR_OVERRIDE + evaluation + group_wait 1 s)"
inhibited() { # a warning for the down service is muted; the same warning for another service is not
  local now end
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  end=$(date -u -d '+5 min' +%Y-%m-%dT%H:%M:%SZ)
  curl -sf -m 5 -H 'content-type: application/json' "$AM/api/v2/alerts" --data "[
    {\"labels\": {\"alertname\": \"FlotillaHigh5xxRatio\", \"severity\": \"warning\", \"service\": \"hello\"}, \"startsAt\": \"$now\", \"endsAt\": \"$end\"},
    {\"labels\": {\"alertname\": \"FlotillaHigh5xxRatio\", \"severity\": \"warning\", \"service\": \"stats\"}, \"startsAt\": \"$now\", \"endsAt\": \"$end\"}]" >/dev/null
  curl -sf -m 5 "$AM/api/v2/alerts?filter=alertname%3D%22FlotillaHigh5xxRatio%22" | python3 -c '
import json, sys
state = {a["labels"]["service"]: a["status"]["state"] for a in json.load(sys.stdin)}
assert state == {"hello": "suppressed", "stats": "active"}, state'
}
check "inhibition: FlotillaTargetDown mutes hello's other alerts, not stats' (Alertmanager API)" eventually 20 inhibited
start_service hello
check "hello back: ready again" eventually 60 healthy "$PORT_hello"
check "FlotillaTargetDown resolved at the pager receiver" eventually 90 sink_has FlotillaTargetDown resolved hello
echo "  resolved $((SECONDS - t_kill)) s after the kill"
restarts_seen() { [[ "$(python3 ci/observability/prom-assert.py "$PROM" value "changes(process_start_time_seconds{service=\"hello\"}[5m])")" == 1 ]]; }
check "the restart shows in changes(process_start_time_seconds) (FlotillaServiceRestarting's input)" eventually 30 restarts_seen

# ------------------------------------------------------------------------------------------- logs
phase logs
logsql() { curl -sf -m 10 "$VL/select/logsql/query" --data-urlencode "query=$1"; }
known_in_logs() {
  local out
  out=$(logsql "reqId:\"$REQ_ID\" | fields _time, service.name, reqId, method, route, status, _msg") || return 1
  python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin.read().splitlines() if l.strip()]
want = {"service.name": "store", "method": "GET", "route": "/users/:id", "status": "200", "_msg": "request"}
assert any(all(r.get(k) == v for k, v in want.items()) for r in rows), rows
print(rows)' <<<"$out"
}
t_logs=$SECONDS
check "request $REQ_ID found in VictoriaLogs by reqId, with service, route, status" eventually 60 known_in_logs
echo "  found $((SECONDS - t_logs)) s after the traffic phase ended"
by_fields() {
  [[ "$(logsql 'service.name:store AND route:"/users/:id" AND status:200 | count()' | python3 -c 'import json,sys; print(list(json.load(sys.stdin).values())[0])')" -ge 2 ]] &&
    [[ "$(logsql 'service.name:hello AND status:404 | count()' | python3 -c 'import json,sys; print(list(json.load(sys.stdin).values())[0])')" -ge 1 ]]
}
check "logs queryable by service, route and status (LogsQL)" eventually 30 by_fields
check "an unknown request id finds nothing (negative control)" sh -c "[ -z \"\$(curl -sf -m 10 $VL/select/logsql/query --data-urlencode 'query=reqId:\"obs-never-sent\"')\" ]"

# ----------------------------------------------------------------------------------------- traces
phase traces
TRACES=$W/traces.jsonl
trace_check() { python3 ci/observability/trace-assert.py "$TRACES" check "$@"; }
fails() { ! "$@" >/dev/null 2>&1; } # a negative control passes when the check it wraps fails

# store -> its databases: the request's server span and client spans of MySQL and Redis (a cache
# miss, then the fill), MongoDB for /posts; /greeting touches none.
check "store trace of GET /users/:id: store's spans with MySQL and Redis client spans under the caller's span" \
  eventually 30 trace_check "$TRACE_USER" --services store --parent "store=$CALLER_SPAN" --db mysql,redis
check "store trace of GET /posts: a MongoDB client span" eventually 30 trace_check "$TRACE_POSTS" --services store --db mongodb
check "store trace of GET /greeting has no database span (negative control)" \
  eventually 30 sh -c "python3 ci/observability/trace-assert.py '$TRACES' check '$TRACE_GREETING' --services store >/dev/null &&
    ! python3 ci/observability/trace-assert.py '$TRACES' check '$TRACE_GREETING' --db mysql >/dev/null"

# web -> stats: nginx passes the caller's traceparent, so stats' server span is the caller's child.
check "web (nginx) -> stats: stats' server span in the caller's trace, child of the caller's span" \
  eventually 30 trace_check "$TRACE_WEB" --services stats --parent "stats=$CALLER_SPAN"
stripped_untraced() { # the request through the stripping nginx reached stats, outside the caller's trace
  grep -q '"route":"/stats"' "$W/logs/stats.log" && fails trace_check "$TRACE_STRIPPED" --services stats
}
check "an nginx that drops traceparent breaks the trace (negative control)" eventually 10 stripped_untraced

# routeguide server -> backend: RouteChat reads and writes notes on the backend over gRPC.
ROUTECHAT_TRACE=""
routechat_trace() {
  ROUTECHAT_TRACE=$(python3 ci/observability/trace-assert.py "$TRACES" find routeguide grpc.routeguide.RouteGuide/RouteChat | tail -n1) &&
    [[ -n "$ROUTECHAT_TRACE" ]] &&
    trace_check "$ROUTECHAT_TRACE" --services routeguide,routeguide-backend --linked "routeguide>routeguide-backend"
}
check "routeguide -> backend: RouteChat's trace has the backend's server spans, children of the server's client spans" \
  eventually 30 routechat_trace
listfeatures_alone() { # ListFeatures never calls the backend: its trace has one service
  local t
  t=$(python3 ci/observability/trace-assert.py "$TRACES" find routeguide grpc.routeguide.RouteGuide/ListFeatures | tail -n1) &&
    [[ -n "$t" ]] && fails trace_check "$t" --services routeguide,routeguide-backend
}
check "a routeguide trace without backend calls fails the two-service check (negative control)" listfeatures_alone
echo "  RouteChat trace $ROUTECHAT_TRACE: $(python3 ci/observability/trace-assert.py "$TRACES" spans "$ROUTECHAT_TRACE" | awk '{print $1}' | sort | uniq -c | tr '\n' ' ')"

# The trace id in the log lines: store's access line for $REQ_ID carries the trace's id and one of
# its spans; stats' line for the request through nginx likewise, and nginx's own line the traceparent.
log_trace() { # REQ_QUERY -> "traceId spanId" of the first matching line
  logsql "$1 | fields traceId, spanId" | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin.read().splitlines() if l.strip()]
print(next((r["traceId"] + " " + r["spanId"] for r in rows if r.get("traceId")), ""))'
}
log_in_trace() { # LOGSQL_QUERY TRACE_ID
  local ids
  ids=$(log_trace "$1")
  [[ -n "$ids" ]] || { echo "no log line with a traceId for: $1"; return 1; }
  [[ "${ids%% *}" == "$2" ]] || { echo "the line's traceId ${ids%% *} is not $2"; return 1; }
  trace_check "$2" --span "${ids##* }"
}
check "store's log line for $REQ_ID carries trace $TRACE_USER and one of its spans" \
  eventually 30 log_in_trace "reqId:\"$REQ_ID\"" "$TRACE_USER"
check "... and not another request's trace (negative control)" \
  fails log_in_trace "reqId:\"$REQ_ID\"" "$TRACE_POSTS"
check "stats' log line for the request through nginx carries trace $TRACE_WEB" \
  eventually 30 log_in_trace "service.name:stats AND traceId:\"$TRACE_WEB\" AND route:\"/stats\"" "$TRACE_WEB"
check "web's (nginx) access line carries the caller's traceparent" \
  eventually 30 sh -c "curl -sf -m 10 '$VL/select/logsql/query' --data-urlencode 'query=service.name:web AND traceparent:\"00-$TRACE_WEB-$CALLER_SPAN-01\" | count()' | grep -q '[1-9]'"
tier_end
