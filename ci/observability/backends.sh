# shellcheck shell=bash
# Tier observability, backends: the tier's configs from the committed ones, then Prometheus,
# Alertmanager with its webhook receiver (ci/lib/webhook-sink.py), VictoriaLogs, the OpenTelemetry
# Collector, and web's real nginx in front of stats and hello (plus a copy that drops the caller's
# traceparent: the negative control of propagation through it).

scenario_backends() {
  require "tier config from the committed ones (rules' for capped at $FOR_OVERRIDE), promtool-valid" tier_config
  bg sink python3 ci/lib/webhook-sink.py "$W/alerts.jsonl" --port "$P_SINK"
  bg alertmanager prometheus-alertmanager --config.file="$W/cfg/alertmanager.yml" --storage.path="$W/am" \
    --web.listen-address="127.0.0.1:$P_AM" --cluster.listen-address=
  bg prometheus prometheus --config.file="$W/cfg/prometheus.yml" --storage.tsdb.path="$W/tsdb" \
    --web.listen-address="127.0.0.1:$P_PROM"
  bg victoria-logs victoria-logs -httpListenAddr="127.0.0.1:$P_VL" -storageDataPath="$W/vl" -retentionPeriod=1d
  bg otelcol env "${COLLECTOR_ENV[@]}" otelcol-flotilla "${COLLECTOR_CONFIG[@]}"
  start_web web "$P_WEB"
  start_web web-stripped "$P_WEB_STRIPPED" 's/proxy_set_header traceparent $http_traceparent;/proxy_set_header traceparent "";/'
  check "the stripping copy really drops traceparent" grep -q 'proxy_set_header traceparent "";' "$W/web-stripped/run/web.conf"
  check "Prometheus ready" eventually 60 curl -sf "$PROM/-/ready"
  check "Alertmanager ready" eventually 30 curl -sf "$AM/-/ready"
  check "VictoriaLogs ready" eventually 30 curl -sf "$VL/health"
  check "web (nginx, deploy/nginx) ready in front of stats" eventually 30 curl -sf "http://127.0.0.1:$P_WEB/healthz"
}

tier_config() {
  python3 ci/observability/tier-config.py "$W/cfg" "$MON" "$FOR_OVERRIDE" \
    "{\"prometheus\": $P_PROM, \"alertmanager\": $P_AM, \"sink\": $P_SINK, \"mysql\": $P_MYSQLD_EXP, \"redis\": $P_REDIS_EXP, \"mongodb\": $P_MONGO_EXP}" \
    "${TARGETS[@]}" && promtool check config "$W/cfg/prometheus.yml"
}

start_web() { # start_web NAME PORT [SED-EXPRESSION applied to the rendered site]
  render_web_nginx "$W/$1" "$2" "127.0.0.1:$PORT_stats" "127.0.0.1:$PORT_hello"
  if [[ -n "${3:-}" ]]; then sed -i "$3" "$W/$1/run/web.conf"; fi
  # nginx reopens /dev/stdout by path for its access log: the file behind it must be its workers'.
  touch "$W/logs/$1.log"
  if [[ "$(id -u)" == 0 ]]; then chown nobody:nogroup "$W/logs/$1.log"; fi
  bg "$1" sh -c "exec nginx -p '$W/$1' -c '$W/$1/nginx.conf' -e stderr -g 'daemon off;' >>'$W/logs/$1.log'"
}
