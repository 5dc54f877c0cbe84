# shellcheck shell=bash
# Helpers of tier observability (sourced by ci/tier-observability.sh after ci/lib/harness.sh): the
# tier's ports, background processes, the fleet's units, W3C trace context, queries.

# shellcheck disable=SC2034 # the declarations below are read by the scenario files
# Ports (the tier's range: 25000-25999).
P_PROM=25090 P_AM=25093 P_SINK=25099 P_VL=25428 P_OTLP=25318 P_WEB=25180 P_WEB_STRIPPED=25181
P_MYSQLD_EXP=25404 P_REDIS_EXP=25421 P_MONGO_EXP=25416
P_SERVICES=25101 P_RG_HTTP=25199 P_RG_GRPC=25201 P_RG_BACKEND=25202 # services: one each from 25101
export STORE_MYSQL_PORT=25306 STORE_REDIS_PORT=25379 STORE_MONGO_PORT=25017
tier_ports() { # read from the declarations above: every P_*, the store's ports, one per scraped service
  local v
  for v in "${!P_@}" "${!STORE_@}"; do [[ $v == P_* || $v == STORE_*_PORT ]] && echo "${!v}"; done
  seq $((P_SERVICES + 1)) $((P_SERVICES + ${#SCRAPED[@]} - 1))
}
PROM=http://127.0.0.1:$P_PROM
AM=http://127.0.0.1:$P_AM
VL=http://127.0.0.1:$P_VL
FOR_OVERRIDE=10s # every rule's `for`, capped for the live run (promtool tests the real ones)

# One collector: the log pipeline and the trace pipeline, each its own file.
COLLECTOR_ENV=(FLOTILLA_LOG_GLOB="$W/logs/*.log" VICTORIALOGS_URL="$VL" OTLP_HTTP_ENDPOINT="127.0.0.1:$P_OTLP" FLOTILLA_TRACES_FILE="$W/traces.jsonl")
COLLECTOR_CONFIG=(--config="$MON/otelcol/logs-files.yaml" --config="$MON/otelcol/traces-file.yaml")

bg() { # bg NAME CMD...: run in the background, output to $W/NAME.out
  local name=$1
  shift
  "$@" >"$W/$name.out" 2>&1 &
  PIDS+=($!)
}

# Tracing on in every service, to the collector, exported every 200 ms.
OTEL_ENV=(OTEL_TRACES_EXPORTER=otlp OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$P_OTLP" OTEL_BSP_SCHEDULE_DELAY=200)
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
healthy() { curl -sf -m 2 "http://127.0.0.1:$1/readyz" >/dev/null; }

# W3C trace context of the tier's own requests: known trace ids, a caller span id each.
new_trace() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }
CALLER_SPAN=00f067aa0ba902b7
tp() { echo "traceparent: 00-$1-$CALLER_SPAN-01"; }

prom_value() { python3 ci/observability/prom-assert.py "$PROM" value "$1"; }
logsql() { python3 ci/observability/logsql.py "$@"; }
trace_check() { python3 ci/observability/trace-assert.py "$W/traces.jsonl" check "$@"; }
fails() { ! "$@" >/dev/null 2>&1; } # a negative control passes when the check it wraps fails
