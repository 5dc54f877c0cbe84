# shellcheck shell=bash
# Tier observability, traces (the collector's file, read by trace-assert.py): store -> MySQL, Redis
# and MongoDB; web (nginx) -> stats; routeguide server -> backend; the trace id in the log lines.
# Each with a negative control.

scenario_traces() {
  # store -> its databases: the request's server span and client spans of MySQL and Redis (a cache
  # miss, then the fill), MongoDB for /posts; /greeting touches none.
  check "store trace of GET /users/:id: store's spans with MySQL and Redis client spans under the caller's span" \
    eventually 30 trace_check "$TRACE_USER" --services store --parent "store=$CALLER_SPAN" --db mysql,redis
  check "store trace of GET /posts: a MongoDB client span" eventually 30 trace_check "$TRACE_POSTS" --services store --db mongodb
  check "store trace of GET /greeting has no database span (negative control)" eventually 30 greeting_without_db

  # web -> stats: nginx passes the caller's traceparent, so stats' server span is the caller's child.
  check "web (nginx) -> stats: stats' server span in the caller's trace, child of the caller's span" \
    eventually 30 trace_check "$TRACE_WEB" --services stats --parent "stats=$CALLER_SPAN"
  check "an nginx that drops traceparent breaks the trace (negative control)" eventually 10 stripped_untraced

  # routeguide server -> backend: RouteChat reads and writes notes on the backend over gRPC.
  ROUTECHAT_TRACE=""
  check "routeguide -> backend: RouteChat's trace has the backend's server spans, children of the server's client spans" \
    eventually 30 routechat_trace
  check "a routeguide trace without backend calls fails the two-service check (negative control)" listfeatures_alone
  echo "  RouteChat trace $ROUTECHAT_TRACE: $(trace_assert spans "$ROUTECHAT_TRACE" | awk '{print $1}' | sort | uniq -c | tr '\n' ' ')"

  # The trace id in the log lines: store's access line for $REQ_ID carries the trace's id and one of
  # its spans; stats' line for the request through nginx likewise, and nginx's own line the traceparent.
  check "store's log line for $REQ_ID carries trace $TRACE_USER and one of its spans" \
    eventually 30 log_in_trace "reqId:\"$REQ_ID\"" "$TRACE_USER"
  check "... and not another request's trace (negative control)" \
    fails log_in_trace "reqId:\"$REQ_ID\"" "$TRACE_POSTS"
  check "stats' log line for the request through nginx carries trace $TRACE_WEB" \
    eventually 30 log_in_trace "service.name:stats AND traceId:\"$TRACE_WEB\" AND route:\"/stats\"" "$TRACE_WEB"
  check "web's (nginx) access line carries the caller's traceparent" eventually 30 nginx_line_traced
}

trace_assert() { python3 ci/observability/trace-assert.py "$W/traces.jsonl" "$@"; }
greeting_without_db() { trace_check "$TRACE_GREETING" --services store >/dev/null && fails trace_check "$TRACE_GREETING" --db mysql; }
stripped_untraced() { # the request through the stripping nginx reached stats, outside the caller's trace
  grep -q '"route":"/stats"' "$W/logs/stats.log" && fails trace_check "$TRACE_STRIPPED" --services stats
}
routechat_trace() {
  ROUTECHAT_TRACE=$(trace_assert find routeguide grpc.routeguide.RouteGuide/RouteChat | tail -n1) &&
    [[ -n "$ROUTECHAT_TRACE" ]] &&
    trace_check "$ROUTECHAT_TRACE" --services routeguide,routeguide-backend --linked "routeguide>routeguide-backend"
}
listfeatures_alone() { # ListFeatures never calls the backend: its trace has one service
  local t
  t=$(trace_assert find routeguide grpc.routeguide.RouteGuide/ListFeatures | tail -n1) &&
    [[ -n "$t" ]] && fails trace_check "$t" --services routeguide,routeguide-backend
}
log_in_trace() { # LOGSQL_QUERY TRACE_ID: the first line with a traceId is in that trace, at one of its spans
  local ids
  ids=$(logsql trace "$VL" "$1") || return 1
  [[ "${ids%% *}" == "$2" ]] || { echo "the line's traceId ${ids%% *} is not $2"; return 1; }
  trace_check "$2" --span "${ids##* }"
}
nginx_line_traced() { [[ "$(logsql count "$VL" "service.name:web AND traceparent:\"00-$TRACE_WEB-$CALLER_SPAN-01\" | count()")" -ge 1 ]]; }
