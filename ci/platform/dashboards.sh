# shellcheck shell=bash
# Tier platform, dashboards (issue 19, scenario 6): every panel query of every dashboard
# (deploy/monitoring/grafana/dashboards, what npm run generate writes from
# deploy/monitoring/dashboards) answered by the in-cluster Prometheus with data, after traffic to
# every service through port-forwards: hello, stats and store over HTTP (a user read twice, so
# its cache has a hit), routeguide's four RPCs; and every recording rule of deploy/monitoring/rules
# with series. The queries go through `kubectl proxy` (PROM_URL, metrics_proxy_open) to the API
# server's service proxy, and are checked by tier observability's prom-assert.py. Controls: a copy
# of a dashboard with one query on a series nothing exports is reported, by its panel; a recording
# rule Prometheus does not have, by its name.
# Sourced after ci/lib/harness.sh, ci/cluster/lib.sh and ci/platform/lib.sh.

DASHBOARDS_DIR=deploy/monitoring/grafana/dashboards
RULES_DIR=deploy/monitoring/rules

# dashboards_traffic ROUNDS: requests to every service, each through a port-forward of its own
dashboards_traffic() {
  local h s t i body user
  port_forward_to "svc/$RELEASE-hello" 80 && h=http://127.0.0.1:$PF_PORT || return 1
  port_forward_to "svc/$RELEASE-stats" 80 && s=http://127.0.0.1:$PF_PORT || return 1
  port_forward_to "svc/$RELEASE-store" 80 && t=http://127.0.0.1:$PF_PORT || return 1
  body=$(curl -sf -m 10 -H 'content-type: application/json' -X POST "$t/users" \
    --data "{\"username\":\"dash$RANDOM\",\"name\":\"Dash\",\"email\":\"dash$RANDOM@example.test\",\"password\":\"dashboards-pw\"}") ||
    { fail "store: POST /users failed"; return 1; }
  user=$(grep -o '"id":[0-9]*' <<<"$body" | tr -dc 0-9)
  for i in $(seq 1 "$1"); do
    curl -s -o /dev/null -m 5 "$h/hello"
    curl -s -o /dev/null -m 5 "$h/no-such-route"
    curl -s -o /dev/null -m 5 "$s/stats"
    curl -s -o /dev/null -m 5 "$t/users/$user" # the second and later: cache hits
    curl -s -o /dev/null -m 5 "$t/posts"
    curl -s -o /dev/null -m 5 -H 'content-type: application/json' -X POST "$t/session" \
      --data "{\"session_id\":\"dash$i\",\"data\":\"x\",\"ttl\":60}"
  done
  curl -s -o /dev/null -m 3 "$s/stats/stream" # a few seconds of a stream
  port_forward_to "deploy/$RELEASE-routeguide" 8888 || return 1
  "$ROOT/node_modules/.bin/node" "$ROOT/services/routeguide/src/client.ts" --addr "127.0.0.1:$PF_PORT" \
    >"$WORK/routeguide-client.log" 2>&1 || { tail -n 5 "$WORK/routeguide-client.log"; fail "routeguide's four RPCs failed"; }
}

_dash_panels() { python3 "$ROOT/ci/observability/prom-assert.py" "$PROM_URL" panels "$@"; }
_records() { python3 "$ROOT/ci/observability/prom-assert.py" "$PROM_URL" records "$1"; }

# the records' control: a rules file whose recording rule Prometheus does not have
_records_control() {
  mkdir -p "$WORK/rules-control"
  printf 'groups:\n  - name: control\n    rules:\n      - record: flotilla:control_not_loaded:sum\n        expr: vector(1)\n' \
    >"$WORK/rules-control/control.rules.yml"
  local out
  if out=$(_records "$WORK/rules-control"); then fail "a recording rule Prometheus does not have passed: $out"; return; fi
  grep -q "flotilla:control_not_loaded:sum" <<<"$out" || fail "not reported by its name: $out"
}

# the control: prom-assert fails on the copy, naming the panel whose query has no data
_dash_control() {
  python3 "$ROOT/ci/observability/broken-dashboards.py" "$DASHBOARDS_DIR/flotilla-fleet.json" "$WORK" || return 1
  local out
  if out=$(_dash_panels "$WORK/no-data.json"); then fail "a query on a series nothing exports passed: $out"; return; fi
  grep -q "no data for sum(flotilla_no_such_series_total)" <<<"$out" || fail "not reported by its query: $out"
}

scenario_dashboards() {
  check "dashboards: traffic to hello, stats, store (HTTP) and routeguide (its four RPCs), through port-forwards" \
    dashboards_traffic 20
  local n
  n=$(cat "$DASHBOARDS_DIR"/*.json | grep -c '"expr"')
  EVERY=10 check "dashboards: every panel query of the ${n} in $DASHBOARDS_DIR answered with data by the in-cluster Prometheus" \
    eventually 240 _dash_panels "$DASHBOARDS_DIR"/*.json
  check "dashboards: (control) a query on a series nothing exports is reported by its panel" _dash_control
  EVERY=10 check "recording rules: every one in $RULES_DIR has series in the in-cluster Prometheus" eventually 120 _records "$RULES_DIR"
  check "recording rules: (control) one Prometheus does not have is reported by its name" _records_control
}
