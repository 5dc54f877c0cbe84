# shellcheck shell=bash
# Tier observability, logs: the collector shipped the fleet's JSON log lines to VictoriaLogs, where
# a request is found by its x-request-id with service, route and status, and lines are queryable
# by field.

scenario_logs() {
  local t_logs=$SECONDS
  check "request $REQ_ID found in VictoriaLogs by reqId, with service, route, status" eventually 60 known_in_logs
  echo "  found $((SECONDS - t_logs)) s after the traffic phase ended"
  check "logs queryable by service, route and status (LogsQL)" eventually 30 by_fields
  check "an unknown request id finds nothing (negative control)" sh -c "[ -z \"\$(curl -sf -m 10 $VL/select/logsql/query --data-urlencode 'query=reqId:\"obs-never-sent\"')\" ]"
}

known_in_logs() {
  logsql has "$VL" "reqId:\"$REQ_ID\" | fields _time, service.name, reqId, method, route, status, _msg" \
    service.name=store method=GET route=/users/:id status=200 _msg=request
}
by_fields() {
  [[ "$(logsql count "$VL" 'service.name:store AND route:"/users/:id" AND status:200 | count()')" -ge 2 ]] &&
    [[ "$(logsql count "$VL" 'service.name:hello AND status:404 | count()')" -ge 1 ]]
}
