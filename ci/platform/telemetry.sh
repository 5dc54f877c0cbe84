# shellcheck shell=bash
# Tier platform, scenario 5 (issue 19): logs and traces. Sourced after ci/lib/harness.sh; needs ROOT
# (the repository), WORK (a scratch directory) and `kc` (kubectl of the cluster under test; defined
# here when the caller has none). The platform's part: deploy/flux/infrastructure/local/telemetry
# (VictoriaLogs, Jaeger v2, the OTLP gateway collector, the node log agent), docs/platform.md "Logs"
# and "Traces". Probe pods and their requests are tier cluster's (ci/cluster/lib.sh).
#
#   telemetry_ready                  check: every pod of both namespaces Ready, VictoriaLogs' PVC Bound
#   telemetry_pod_security           check: observability restricted, the agent's namespace privileged;
#                                    (control) the agent's pod is refused in the restricted namespace
#   telemetry_network                check: a pod of the fleet's namespace reaches the OTLP gateway; (controls)
#                                    not Jaeger directly, and a pod of another namespace not the gateway
#   telemetry_open                   gate: port-forwards to VictoriaLogs and Jaeger (VL_URL, JAEGER_URL)
#   telemetry_send                   gate: a request with a known x-request-id and traceparent through
#                                    web's nginx to stats, and one to store
#   telemetry_logs                   checks: those requests' lines in VictoriaLogs, read from the pods'
#                                    log files by the agent; lines queryable by service, route and
#                                    status; (controls) an unknown id, or status, finds nothing
#   telemetry_traces                 checks: their traces in Jaeger; store's user read with MySQL and
#                                    Redis client spans, /posts with MongoDB's, /greeting with none
#                                    (control); routeguide's
#                                    RouteChat through its backend (found by operation: the RPCs of
#                                    the dashboards scenario), ListFeatures alone (control); (control)
#                                    an unknown trace is absent
#   telemetry_close                  ends the port-forwards
# Settings: TELEMETRY_NS (the fleet's namespace, flotilla), TELEMETRY_RELEASE (flotilla),
# TELEMETRY_STORE_PATH (the store request, /session/telemetry: a Redis read when store has Redis),
# TELEMETRY_STORE_DB (the database system its trace must show a client span of, e.g. redis; empty:
# store on its embedded storage, which makes no client spans).

TELEMETRY_NS=${TELEMETRY_NS:-flotilla}
TELEMETRY_RELEASE=${TELEMETRY_RELEASE:-flotilla}
TELEMETRY_STORE_PATH=${TELEMETRY_STORE_PATH:-/session/telemetry}
TELEMETRY_STORE_DB=${TELEMETRY_STORE_DB:-}
_TELEMETRY_PIDS=()
# tier cluster's helpers (kc, note, probe_pod, http_from), unless the caller has them already
# shellcheck source=ci/cluster/lib.sh
declare -F probe_pod >/dev/null || source "$ROOT/ci/cluster/lib.sh"
# shellcheck source=deploy/cluster/versions.sh
[[ -n "${BUSYBOX_IMAGE:-}" ]] || source "$ROOT/deploy/cluster/versions.sh"

_telemetry_logsql() { python3 "$ROOT/ci/observability/logsql.py" "$@"; }
_telemetry_trace() { # TRACE_ID: fetches it from Jaeger into $WORK/trace-TRACE_ID.jsonl
  python3 "$ROOT/ci/platform/jaeger-trace.py" "$JAEGER_URL" "$1" "$WORK/trace-$1.jsonl"
}
_telemetry_assert() { python3 "$ROOT/ci/observability/trace-assert.py" "$@"; }
_telemetry_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

telemetry_ready() {
  local ns out
  for ns in observability observability-agent; do
    out=$(kc -n "$ns" get pods --no-headers -o custom-columns=N:.metadata.name,R:.status.containerStatuses[*].ready)
    [[ -n "$out" ]] || fail "no pods in $ns"
    if grep -q false <<<"$out"; then fail "not Ready in $ns: $(grep false <<<"$out" | tr '\n' ' ')"; fi
  done
  for out in statefulset/victoria-logs deploy/jaeger deploy/otel-collector; do
    [[ "$(kc -n observability get "$out" -o jsonpath='{.status.readyReplicas}')" == 1 ]] || fail "$out is not Ready"
  done
  [[ "$(kc -n observability-agent get ds log-agent -o jsonpath='{.status.numberReady}/{.status.desiredNumberScheduled}')" =~ ^([1-9][0-9]*)/\1$ ]] ||
    fail "log-agent is not Ready on every node"
  out=$(kc -n observability get pvc data-victoria-logs-0 -o jsonpath='{.status.phase} {.spec.storageClassName}')
  [[ "$out" == "Bound local-path" ]] || fail "VictoriaLogs' PVC: '$out', not 'Bound local-path'"
}

# The agent's namespace is the only one above restricted, and it has to be: the same pod (its
# hostPath, uid 0) is refused where restricted is enforced.
telemetry_pod_security() {
  local level
  level=$(kc get ns observability -o jsonpath='{.metadata.labels.pod-security\.kubernetes\.io/enforce}')
  [[ "$level" == restricted ]] || fail "observability enforces '$level', not restricted"
  level=$(kc get ns observability-agent -o jsonpath='{.metadata.labels.pod-security\.kubernetes\.io/enforce}')
  [[ "$level" == privileged ]] || fail "observability-agent enforces '$level', not privileged"
  local ds="$WORK/agent-ds.json" pod="$WORK/agent-pod.json" out
  kc -n observability-agent get ds log-agent -o json >"$ds" || { fail "no DaemonSet log-agent"; return; }
  out=$(python3 "$ROOT/ci/platform/agent-pod.py" secure "$ds") || fail "log-agent's securityContext: $out"
  python3 "$ROOT/ci/platform/agent-pod.py" as-pod "$ds" observability agent-in-restricted >"$pod" || return
  out=$(kc apply --dry-run=server -f "$pod" 2>&1) && fail "(control) the agent's pod was accepted in the restricted namespace: $out"
  grep -q 'violates PodSecurity "restricted' <<<"$out" || fail "(control) refused for another reason: $out"
}

_telemetry_reaches() { [[ "$(http_from "$1" telemetry-probe "$2" "$3" /)" == HTTP/* ]] || fail "no answer from $2:$3 in $1"; }
_telemetry_refused() { [[ -z "$(http_from "$1" telemetry-probe "$2" "$3" /)" ]] || fail "$2:$3 answered in $1"; }

telemetry_network() {
  local gw=otel-collector.observability.svc.cluster.local jaeger=jaeger.observability.svc.cluster.local
  if ! probe_pod "$TELEMETRY_NS" telemetry-probe || ! probe_pod default telemetry-probe; then fail "probe pods not Ready"; return; fi
  # a new pod is admitted by the NetworkPolicy enforcer a moment after it starts (docs/cluster.md)
  EVERY=1 eventually 20 _telemetry_reaches "$TELEMETRY_NS" "$gw" 4318 || return
  _telemetry_refused "$TELEMETRY_NS" "$jaeger" 4318 || fail "(control) the fleet reaches Jaeger directly"
  _telemetry_refused default "$gw" 4318 || fail "(control) another namespace reaches the gateway"
  kc -n "$TELEMETRY_NS" delete pod telemetry-probe --wait=false >/dev/null
  kc -n default delete pod telemetry-probe --wait=false >/dev/null
}

# _telemetry_forward NAMESPACE SERVICE PORT VAR: `kubectl port-forward` on the host's loopback; VAR
# gets http://127.0.0.1:<port>
_telemetry_forward() {
  local port
  port=$(free_port)
  # exec all the way down: $! is kubectl itself, which telemetry_close ends
  (exec bash "$ROOT/deploy/cluster/cluster.sh" kubectl -n "$1" port-forward "svc/$2" "$port:$3" \
    --address 127.0.0.1 >"$WORK/pf-$2.log" 2>&1) &
  _TELEMETRY_PIDS+=("$!")
  printf -v "$4" 'http://127.0.0.1:%s' "$port"
  wait_until 20 bash -c "curl -s -o /dev/null --max-time 2 http://127.0.0.1:$port/" || { cat "$WORK/pf-$2.log" >&2; return 1; }
}

telemetry_open() {
  _telemetry_forward observability victoria-logs 9428 VL_URL &&
    _telemetry_forward observability jaeger 16686 JAEGER_URL &&
    _telemetry_forward "$TELEMETRY_NS" "$TELEMETRY_RELEASE-web" 80 WEB_URL &&
    _telemetry_forward "$TELEMETRY_NS" "$TELEMETRY_RELEASE-store" 80 STORE_URL
}

telemetry_close() {
  local pid
  for pid in "${_TELEMETRY_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  _TELEMETRY_PIDS=()
}

# Known ids: the request ids, and W3C trace contexts whose parent span is "ours" (sampled), so the
# services' spans join traces whose ids the test chose.
telemetry_send() {
  RID_WEB="telemetry-web-$(_telemetry_hex 6)"
  RID_STORE="telemetry-store-$(_telemetry_hex 6)"
  TRACE_WEB=$(_telemetry_hex 16)
  TRACE_STORE=$(_telemetry_hex 16)
  PARENT=$(_telemetry_hex 8)
  TP_WEB="00-$TRACE_WEB-$PARENT-01"
  local code
  code=$(curl -sS -o "$WORK/web-stats.json" -w '%{http_code}' --max-time 10 \
    -H "x-request-id: $RID_WEB" -H "traceparent: $TP_WEB" "$WEB_URL/stats")
  [[ "$code" == 200 ]] || fail "web's /stats answered $code"
  code=$(curl -sS -o "$WORK/store.json" -w '%{http_code}' --max-time 10 \
    -H "x-request-id: $RID_STORE" -H "traceparent: 00-$TRACE_STORE-$PARENT-01" "$STORE_URL$TELEMETRY_STORE_PATH")
  [[ "$code" =~ ^(200|404)$ ]] || fail "store's $TELEMETRY_STORE_PATH answered $code"
  if [[ -n "$TELEMETRY_STORE_DB" ]]; then
    # store on its databases: a user read (MySQL, then Redis: a cache miss and its fill), /posts
    # (MongoDB), /greeting (nothing)
    TRACE_USER=$(_telemetry_hex 16) TRACE_POSTS=$(_telemetry_hex 16) TRACE_GREETING=$(_telemetry_hex 16)
    local body user
    body=$(curl -sS -m 10 -H 'content-type: application/json' -X POST "$STORE_URL/users" --data \
      "{\"username\":\"tel$RANDOM\",\"name\":\"Tel\",\"email\":\"tel$RANDOM@example.test\",\"password\":\"telemetry-pw\"}")
    user=$(grep -o '"id":[0-9]*' <<<"$body" | tr -dc 0-9)
    [[ -n "$user" ]] || fail "store's POST /users answered: $body"
    code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 -H "traceparent: 00-$TRACE_USER-$PARENT-01" "$STORE_URL/users/$user")
    [[ "$code" == 200 ]] || fail "store's /users/$user answered $code"
    code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 -H "traceparent: 00-$TRACE_POSTS-$PARENT-01" "$STORE_URL/posts")
    [[ "$code" == 200 ]] || fail "store's /posts answered $code"
    code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 -H "traceparent: 00-$TRACE_GREETING-$PARENT-01" "$STORE_URL/greeting")
    [[ "$code" == 200 ]] || fail "store's /greeting answered $code"
  fi
  note "x-request-id $RID_WEB (web -> stats, trace $TRACE_WEB), $RID_STORE (store, trace $TRACE_STORE)"
}

# store's line: found by the request id the client chose, with the fields the agent adds from the
# file's path: it was read from the pod's log file on the node, not sent by the service.
_telemetry_store_line() {
  _telemetry_logsql has "$VL_URL" "reqId:\"$RID_STORE\" AND _msg:request" "service.name=store" \
    "k8s.namespace.name=$TELEMETRY_NS" "k8s.container.name=store" "traceId=$TRACE_STORE" >"$WORK/store-line.txt" ||
    { cat "$WORK/store-line.txt"; fail "no store line for x-request-id $RID_STORE with its pod's fields and trace id"; return; }
  grep -q "'log.file.path': '/var/log/pods/${TELEMETRY_NS}_$TELEMETRY_RELEASE-store-" "$WORK/store-line.txt" ||
    fail "store's line has no log.file.path under /var/log/pods: $(cat "$WORK/store-line.txt")"
}

# web's request by the id the client chose: nginx keeps a plain x-request-id (deploy/nginx) and
# logs it with the caller's traceparent; stats' line of the same trace carries the same id.
_telemetry_web_lines() {
  _telemetry_logsql has "$VL_URL" "request_id:\"$RID_WEB\"" "service.name=web" "uri=/stats" \
    "k8s.container.name=web" "traceparent=$TP_WEB" >"$WORK/web-line.txt" ||
    { cat "$WORK/web-line.txt"; fail "no nginx access line with request_id $RID_WEB and traceparent $TP_WEB"; return; }
  _telemetry_logsql has "$VL_URL" "traceId:\"$TRACE_WEB\" AND _msg:request" "service.name=stats" "reqId=$RID_WEB" \
    "k8s.container.name=stats" >"$WORK/stats-line.txt" ||
    { cat "$WORK/stats-line.txt"; fail "no stats line of trace $TRACE_WEB with the caller's request id $RID_WEB"; }
}

_telemetry_no_line() { # QUERY: VictoriaLogs counts 0 lines
  local n
  n=$(_telemetry_logsql count "$VL_URL" "$1 | count()") || return
  [[ "$n" == 0 ]] || fail "$n lines for: $1"
}
_telemetry_no_match() { # QUERY FIELD=VALUE: no line of QUERY has FIELD=VALUE
  ! _telemetry_logsql has "$VL_URL" "$@" >/dev/null || fail "a line of $1 has $2"
}

_telemetry_at_least() { # N QUERY: VictoriaLogs counts at least N lines
  local n
  n=$(_telemetry_logsql count "$VL_URL" "$2 | count()") || return
  ((n >= $1)) || fail "$n lines (want $1 or more) for: $2"
}
_telemetry_by_fields() {
  _telemetry_at_least 1 'service.name:stats AND route:"/stats" AND status:200' &&
    _telemetry_at_least 1 "service.name:store AND status:200 AND k8s.namespace.name:$TELEMETRY_NS"
}

telemetry_logs() {
  EVERY=2 check "logs: store's line for x-request-id $RID_STORE in VictoriaLogs, from its pod's log file (with the trace id)" \
    eventually 60 _telemetry_store_line
  EVERY=2 check "logs: web's nginx access line and stats' line, both with the caller's x-request-id $RID_WEB (and its trace) in VictoriaLogs" \
    eventually 60 _telemetry_web_lines
  check "logs: (control) an unknown x-request-id finds no line" _telemetry_no_line "reqId:\"telemetry-unknown-$RID_STORE\""
  check "logs: (control) the store line's query with another trace id finds nothing" \
    _telemetry_no_match "reqId:\"$RID_STORE\"" "traceId=$TRACE_WEB"
  EVERY=2 check "logs: queryable by service, route and status (LogsQL)" eventually 30 _telemetry_by_fields
  check "logs: (control) a status no request had finds no line" _telemetry_no_line 'service.name:stats AND route:"/stats" AND status:599'
}

_telemetry_web_trace() {
  _telemetry_trace "$TRACE_WEB" >/dev/null &&
    _telemetry_assert "$WORK/trace-$TRACE_WEB.jsonl" check "$TRACE_WEB" --services stats --parent "stats=$PARENT"
}
_telemetry_store_trace() {
  local db=()
  [[ -z "$TELEMETRY_STORE_DB" ]] || db=(--db "$TELEMETRY_STORE_DB")
  _telemetry_trace "$TRACE_STORE" >/dev/null &&
    _telemetry_assert "$WORK/trace-$TRACE_STORE.jsonl" check "$TRACE_STORE" --services store --parent "store=$PARENT" "${db[@]}"
}

_telemetry_no_trace() { # TRACE_ID: Jaeger answers 404
  ! _telemetry_trace "$1" || fail "Jaeger has a trace $1"
}
_telemetry_no_db() { # TRACE_ID SYSTEM: the (fetched) trace has no client span of SYSTEM
  ! _telemetry_assert "$WORK/trace-$1.jsonl" check "$1" --db "$2" || fail "trace $1 has a $2 span"
}

_telemetry_db_trace() { # TRACE_ID SYSTEM: store's server span, the caller's child, with a SYSTEM client span
  _telemetry_trace "$1" >/dev/null &&
    _telemetry_assert "$WORK/trace-$1.jsonl" check "$1" --services store --parent "store=$PARENT" --db "$2"
}
_telemetry_no_db_trace() { # TRACE_ID: store's trace, with no database span at all
  _telemetry_trace "$1" >/dev/null && _telemetry_assert "$WORK/trace-$1.jsonl" check "$1" --services store >/dev/null || return 1
  local db
  for db in mysql redis mongodb; do _telemetry_no_db "$1" "$db" || return 1; done
}
RPC=grpc.routeguide.RouteGuide
_telemetry_found() { # OPERATION: the newest routeguide trace with a span OPERATION, fetched; prints its id
  python3 "$ROOT/ci/platform/jaeger-trace.py" "$JAEGER_URL" --find routeguide "$RPC/$1" "$WORK/rg-$1.jsonl" >/dev/null &&
    _telemetry_assert "$WORK/rg-$1.jsonl" find routeguide "$RPC/$1" | tail -n1
}
_telemetry_routechat() {
  local t
  if ! t=$(_telemetry_found RouteChat) || [[ -z "$t" ]]; then fail "no RouteChat trace in Jaeger"; return; fi
  _telemetry_assert "$WORK/rg-RouteChat.jsonl" check "$t" --services routeguide,routeguide-backend --linked "routeguide>routeguide-backend"
}
_telemetry_listfeatures_alone() { # ListFeatures never calls the backend: its trace fails the two-service check
  local t
  if ! t=$(_telemetry_found ListFeatures) || [[ -z "$t" ]]; then fail "no ListFeatures trace in Jaeger"; return; fi
  ! _telemetry_assert "$WORK/rg-ListFeatures.jsonl" check "$t" --services routeguide,routeguide-backend >/dev/null ||
    fail "ListFeatures' trace $t has the backend's spans"
}

telemetry_traces() {
  EVERY=2 check "traces: the request through web's nginx is one trace in Jaeger, stats' server span the caller's child" \
    eventually 60 _telemetry_web_trace
  EVERY=2 check "traces: store's request in Jaeger, its server span the caller's child${TELEMETRY_STORE_DB:+, with a $TELEMETRY_STORE_DB client span}" \
    eventually 60 _telemetry_store_trace
  check "traces: (control) Jaeger has no trace of an unknown id" _telemetry_no_trace "$(_telemetry_hex 16)"
  if [[ -n "$TELEMETRY_STORE_DB" ]]; then
    check "traces: (control) the web trace has no $TELEMETRY_STORE_DB span (the check above can fail)" \
      _telemetry_no_db "$TRACE_WEB" "$TELEMETRY_STORE_DB"
    EVERY=2 check "traces: store's GET /users/:id in Jaeger with MySQL and Redis client spans" \
      eventually 60 _telemetry_db_trace "$TRACE_USER" mysql,redis
    EVERY=2 check "traces: store's GET /posts in Jaeger with a MongoDB client span" eventually 60 _telemetry_db_trace "$TRACE_POSTS" mongodb
    EVERY=2 check "traces: (control) store's GET /greeting has no database span" eventually 60 _telemetry_no_db_trace "$TRACE_GREETING"
  fi
  EVERY=2 check "traces: routeguide -> backend: RouteChat's trace has the backend's server spans, children of the server's client spans" \
    eventually 60 _telemetry_routechat
  check "traces: (control) a routeguide trace without backend calls (ListFeatures) fails that check" _telemetry_listfeatures_alone
}
