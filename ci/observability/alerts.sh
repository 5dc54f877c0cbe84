# shellcheck shell=bash
# Tier observability, alerts: a killed service's FlotillaTargetDown reaches Alertmanager's pager
# receiver (the webhook sink) and resolves once it is back; inhibition mutes the down service's
# other alerts only; the restart shows in the metric FlotillaServiceRestarting reads.

scenario_alerts() {
  check "no FlotillaTargetDown while the fleet is up" fails prom_value 'ALERTS{alertname="FlotillaTargetDown"}'
  local t_kill=$SECONDS
  kill -KILL "${SVC_PID[hello]}"
  check "hello killed: FlotillaTargetDown reaches the pager receiver (for: $FOR_OVERRIDE)" eventually 90 delivered FlotillaTargetDown firing hello
  echo "  fired and delivered $((SECONDS - t_kill)) s after the kill (scrape 2 s + for $FOR_OVERRIDE + evaluation + group_wait 1 s)"
  check "inhibition: FlotillaTargetDown mutes hello's other alerts, not stats' (Alertmanager API)" eventually 20 inhibited
  start_service hello
  check "hello back: ready again" eventually 60 healthy "$PORT_hello"
  check "FlotillaTargetDown resolved at the pager receiver" eventually 90 delivered FlotillaTargetDown resolved hello
  echo "  resolved $((SECONDS - t_kill)) s after the kill"
  check "the restart shows in changes(process_start_time_seconds) (FlotillaServiceRestarting's input)" eventually 30 restarts_seen
}

delivered() { python3 ci/observability/alerts.py delivered "$W/alerts.jsonl" "$@"; } # ALERTNAME STATUS SERVICE
inhibited() { # a warning for the down service is muted; the same warning for another service is not
  local now end
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  end=$(date -u -d '+5 min' +%Y-%m-%dT%H:%M:%SZ)
  curl -sf -m 5 -H 'content-type: application/json' "$AM/api/v2/alerts" --data "[
    {\"labels\": {\"alertname\": \"FlotillaHigh5xxRatio\", \"severity\": \"warning\", \"service\": \"hello\"}, \"startsAt\": \"$now\", \"endsAt\": \"$end\"},
    {\"labels\": {\"alertname\": \"FlotillaHigh5xxRatio\", \"severity\": \"warning\", \"service\": \"stats\"}, \"startsAt\": \"$now\", \"endsAt\": \"$end\"}]" >/dev/null
  local states
  states=$(python3 ci/observability/alerts.py states "$AM" FlotillaHigh5xxRatio)
  [[ "$states" == $'hello=suppressed\nstats=active' ]] || fail "FlotillaHigh5xxRatio: $states"
}
restarts_seen() { [[ "$(prom_value "changes(process_start_time_seconds{service=\"hello\"}[5m])")" == 1 ]]; }
