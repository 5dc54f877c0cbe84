#!/usr/bin/env bash
# Tier "store": services/store against real servers — MariaDB and Redis from Debian, FerretDB v1
# (MongoDB wire protocol, SQLite backend) built from its Go module — started here on loopback.
#   1. the same Vitest suites as `npm test`, with STORE_IT=1 (API, storage contract, migrations,
#      simulated outages) against the real servers;
#   2. a real outage drill: the service runs as a process while redis-server, mariadbd and
#      ferretdb are stopped and restarted one at a time: 503 on the affected routes only, other
#      routes fine, readiness names the database, recovery without a restart;
#   3. bench/store.ts for a few seconds (STORE_TIER_BENCH_DURATION, 0 skips it): calls/s and p99.
# Prints `tier store: N passed, M failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
export CI=true
# shellcheck source=ci/store/servers.sh
source ci/store/servers.sh

NODE=$PWD/node_modules/.bin/node
[[ -x "$NODE" && -x node_modules/.bin/vitest ]] || npm ci --no-audit --no-fund
store_install

WORK=$(mktemp -d /tmp/flotilla-store-tier.XXXXXX)
SERVICE_PID=""
cleanup() {
  if [[ -n "$SERVICE_PID" ]]; then kill "$SERVICE_PID" 2>/dev/null || true; fi
  store_stop_all
  rm -rf "$WORK"
}
trap cleanup EXIT

store_start "$WORK/servers"
echo "== server versions"
store_versions

PASS=0
FAIL=0

# --- 1. the API test suite on real servers -------------------------------------------------
echo "== vitest services/store with STORE_IT=1"
set +e
STORE_IT=1 npx vitest run services/store --reporter=default --reporter=json --outputFile.json="$WORK/vitest.json"
set -e
read -r vpass vfail < <("$NODE" -e '
  const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  console.log(r.numPassedTests, r.numFailedTests + (r.numTotalTests === 0 ? 1 : 0));
' "$WORK/vitest.json" 2>/dev/null || echo "0 1")
PASS=$((PASS + vpass))
FAIL=$((FAIL + vfail))

# --- 2. real outage drill ---------------------------------------------------------------------
PORT=${STORE_TIER_PORT:-18181}
BASE=http://127.0.0.1:$PORT
store__port_free "$PORT"
HOST=127.0.0.1 PORT=$PORT LOG_LEVEL=warn DB_TIMEOUT_MS=1000 MIGRATION_RETRY_MS=500 BCRYPT_COST=4 \
  "$NODE" services/store/src/main.ts >"$WORK/service.log" 2>&1 &
SERVICE_PID=$!

# req METHOD PATH [JSON]: sets CODE and BODY (and HEADERS).
req() {
  local args=(-s -m 10 -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' -X "$1" "$BASE$2")
  if [[ $# -ge 3 ]]; then args+=(-H 'content-type: application/json' --data "$3"); fi
  CODE=$(curl "${args[@]}" || echo 000)
  BODY=$(cat "$WORK/body" 2>/dev/null || true)
  HEADERS=$(cat "$WORK/headers" 2>/dev/null || true)
}
expect() { # expect DESCRIPTION CODE [BODY-SUBSTRING] -- after req
  if [[ "$CODE" == "$2" && ( $# -lt 3 || "$BODY" == *"$3"* ) ]]; then
    PASS=$((PASS + 1)); echo "  ok    $1"
  else
    FAIL=$((FAIL + 1)); echo "  FAIL  $1: got $CODE $BODY (wanted $2 ${3:-})"
  fi
}
eventually() { # eventually SECONDS DESCRIPTION CODE METHOD PATH [JSON]: retry until CODE
  local deadline=$((SECONDS + $1)) what=$2 want=$3
  shift 3
  while :; do
    req "$@"
    [[ "$CODE" == "$want" || $SECONDS -ge $deadline ]] && break
    sleep 0.25
  done
  expect "$what" "$want"
}

echo "== outage drill against $BASE"
eventually 60 "service ready on real servers" 200 GET /readyz
req POST /users '{"username":"drill","name":"Drill","email":"drill@example.test","password":"drill-password"}'
expect "create a user" 201 '"user":"drill"'
USER_ID=$(grep -o '"id":[0-9]*' <<<"$BODY" | tr -dc 0-9)
req GET "/users/$USER_ID"
req GET "/users/$USER_ID"
expect "second read is a cache hit" 200
grep -qi '^x-cache: hit' <<<"$HEADERS" && PASS=$((PASS + 1)) || { FAIL=$((FAIL + 1)); echo "  FAIL  x-cache header: $HEADERS"; }
req POST /posts '{"title":"drill","content":"survives a restart"}'
expect "create a post" 201
POST_ID=$(grep -o '"post_id":"[0-9a-f]*"' <<<"$BODY" | cut -d'"' -f4)

echo "-- redis-server stopped"
store_stop_redis
req POST /session '{"session_id":"drill","data":"x","ttl":60}'
expect "POST /session answers 503" 503 '"error":"sessions database unavailable"'
req GET "/users/$USER_ID"
expect "GET /users/:id still served from MariaDB" 200 '"username":"drill"'
req GET /posts
expect "GET /posts unaffected" 200
req GET /readyz
expect "readiness 503 naming sessions" 503 '"sessions":"sessions database unavailable"'
store_start_redis
eventually 30 "sessions recover after redis-server restarts" 201 POST /session '{"session_id":"drill","data":"x","ttl":60}'
eventually 30 "ready again" 200 GET /readyz

echo "-- mariadbd stopped"
store_stop_mariadb
req GET /users
expect "GET /users answers 503" 503 '"error":"users database unavailable"'
req GET /posts
expect "GET /posts unaffected" 200
req GET /session/drill
expect "GET /session unaffected" 200 '"data":"x"'
req GET /readyz
expect "readiness 503 naming users" 503 '"users":'
store_start_mariadb
eventually 60 "users recover after mariadbd restarts" 200 GET "/users/$USER_ID"
eventually 30 "ready again" 200 GET /readyz

echo "-- ferretdb stopped"
store_stop_ferretdb
req GET /posts
expect "GET /posts answers 503" 503 '"error":"posts database unavailable"'
req GET /users
expect "GET /users unaffected" 200
store_start_ferretdb
eventually 30 "posts recover after ferretdb restarts" 200 GET "/posts/$POST_ID"
expect "the post survived the restart" 200 '"content":"survives a restart"'

echo "-- SIGTERM"
kill -TERM "$SERVICE_PID"
rc=0
wait "$SERVICE_PID" || rc=$?
SERVICE_PID=""
if [[ $rc -eq 0 ]]; then PASS=$((PASS + 1)); echo "  ok    graceful exit 0"; else FAIL=$((FAIL + 1)); echo "  FAIL  exit $rc"; tail -20 "$WORK/service.log"; fi

# --- 3. benchmark -----------------------------------------------------------------------------
BENCH_SECONDS=${STORE_TIER_BENCH_DURATION:-3}
if [[ "$BENCH_SECONDS" != 0 ]]; then
  echo "== bench/store.ts (${BENCH_SECONDS} s per run)"
  if BENCH_DURATION=$BENCH_SECONDS "$NODE" bench/run.ts store; then
    PASS=$((PASS + 1))
  else
    FAIL=$((FAIL + 1)); echo "  FAIL  bench/store.ts"
  fi
fi

echo "tier store: $PASS passed, $FAIL failed"
[[ $FAIL -eq 0 ]]
