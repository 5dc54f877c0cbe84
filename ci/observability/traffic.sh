# shellcheck shell=bash
# Tier observability, traffic: requests to every service, a store user and post, routeguide's four
# RPCs, and the requests the later phases look for: one with a known x-request-id and trace, and
# traced requests per database of store's and through web's nginx (and its stripping copy).

scenario_traffic() {
  REQ_ID=obs-$(date +%s)-$RANDOM
  TRACE_USER=$(new_trace) TRACE_POSTS=$(new_trace) TRACE_GREETING=$(new_trace) TRACE_WEB=$(new_trace) TRACE_STRIPPED=$(new_trace)
  H=http://127.0.0.1:$PORT_hello S=http://127.0.0.1:$PORT_stats T=http://127.0.0.1:$PORT_store
  check "store: seed a user and a post" seed_store
  traffic 20
  curl -s -o /dev/null -m 3 "$S/stats/stream" # SSE: a few seconds of a stream
  check "routeguide client: the four RPCs" env ROUTEGUIDE_ADDR=127.0.0.1:$P_RG_GRPC "$NODE" services/routeguide/dist/client.mjs
  check "store: GET /users/:id with x-request-id $REQ_ID and trace $TRACE_USER" known_request
  check "traced requests: store /posts and /greeting, stats through web's nginx (and its stripping copy)" traced_requests
}

post() { curl -s -o /dev/null -m 5 -H 'content-type: application/json' -X POST "$1" --data "$2"; }
traffic() { # traffic N: N rounds of requests to every service
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

known_request() { # GET /users/:id twice (the second a cache hit), the first with a known request id and trace
  [[ "$(curl -s -o /dev/null -w '%{http_code}' -m 5 -H "x-request-id: $REQ_ID" -H "$(tp "$TRACE_USER")" "$T/users/$USER_ID")" == 200 ]] &&
    [[ "$(curl -s -o /dev/null -w '%{http_code}' -m 5 "$T/users/$USER_ID")" == 200 ]]
}

traced_requests() { # one request per database of store's, one with none, and stats through web's nginx
  local W_URL=http://127.0.0.1:$P_WEB
  [[ "$(curl -s -o /dev/null -w '%{http_code}' -m 5 -H "$(tp "$TRACE_POSTS")" "$T/posts")" == 200 ]] &&
    [[ "$(curl -s -o /dev/null -w '%{http_code}' -m 5 -H "$(tp "$TRACE_GREETING")" "$T/greeting")" == 200 ]] &&
    [[ "$(curl -s -o /dev/null -w '%{http_code}' -m 5 -H "$(tp "$TRACE_WEB")" "$W_URL/stats")" == 200 ]] &&
    [[ "$(curl -s -o /dev/null -w '%{http_code}' -m 5 -H "$(tp "$TRACE_STRIPPED")" "http://127.0.0.1:$P_WEB_STRIPPED/stats")" == 200 ]]
}
