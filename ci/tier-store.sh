#!/usr/bin/env bash
# Tier store: services/store against real servers — MariaDB and Redis from Debian, FerretDB v1
# (MongoDB wire protocol, SQLite backend) built from its Go module (tools/store.sh) — started
# here on loopback.
#   1. the same Vitest suites as `npm test`, with STORE_IT=1 (API, storage contract, migrations,
#      simulated outages) against the real servers; their counts join this tier's summary;
#   2. a real outage drill: the service runs as a process while redis-server, mariadbd and
#      ferretdb are stopped and restarted one at a time: 503 on the affected routes only, other
#      routes fine, readiness names the database, recovery without a restart;
#   3. bench/store.ts for a few seconds (STORE_TIER_BENCH_DURATION, 0 skips it): calls/s and p99.
# Prints the phase timeline and `tier store: N passed, M failed` (tier_end, ci/lib/harness.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
export CI=true
source ci/lib/harness.sh
# shellcheck source=scripts/store-servers.sh
source scripts/store-servers.sh
tier_begin store

NODE=$PWD/node_modules/.bin/node
WORK=$(mktemp -d /tmp/flotilla-store-tier.XXXXXX)
SERVICE_PID=""
cleanup() {
  if [[ -n "$SERVICE_PID" ]]; then kill "$SERVICE_PID" 2>/dev/null || true; fi
  store_stop_all
  rm -rf "$WORK"
}
trap cleanup EXIT

phase "tools and servers"
[[ -x "$NODE" && -x node_modules/.bin/vitest ]] || npm ci --no-audit --no-fund
require "MariaDB, Redis, FerretDB $FERRETDB_VERSION installed (tools/store.sh)" bash tools/store.sh
require "servers started on loopback" store_start "$WORK/servers"
store_versions

# --- 1. the API test suites on real servers ---------------------------------------------------
phase "vitest services/store (STORE_IT=1)"
STORE_IT=1 npx vitest run services/store --reporter=default --reporter=json --outputFile.json="$WORK/vitest.json" || true
add_report vitest "$WORK/vitest.json"

# --- 2. real outage drill ---------------------------------------------------------------------
phase "outage drill"
PORT=${STORE_TIER_PORT:-18181}
BASE=http://127.0.0.1:$PORT
require "port $PORT free for the service" store__port_free "$PORT"
HOST=127.0.0.1 PORT=$PORT LOG_LEVEL=warn DB_TIMEOUT_MS=1000 MIGRATION_RETRY_MS=500 BCRYPT_COST=4 \
  "$NODE" services/store/src/main.ts >"$WORK/service.log" 2>&1 &
SERVICE_PID=$!

# req METHOD PATH [JSON]: sets CODE, BODY and HEADERS.
req() {
  local args=(-s -m 10 -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' -X "$1" "$BASE$2")
  if [[ $# -ge 3 ]]; then args+=(-H 'content-type: application/json' --data "$3"); fi
  CODE=$(curl "${args[@]}" || echo 000)
  BODY=$(cat "$WORK/body" 2>/dev/null || true)
  HEADERS=$(cat "$WORK/headers" 2>/dev/null || true)
}
# answers CODE [BODY-SUBSTRING] METHOD PATH [JSON]: the request answers CODE (and its body has the text).
answers() {
  local want=$1 text=$2
  shift 2
  req "$@"
  [[ "$CODE" == "$want" && "$BODY" == *"$text"* ]] || fail "$1 $2: got $CODE $BODY (wanted $want ${text})"
}

if ! gate "service ready on real servers" eventually 60 answers 200 "" GET /readyz; then
  tail -n 20 "$WORK/service.log"
  tier_end
  exit 1
fi
check "create a user" answers 201 '"user":"drill"' POST /users '{"username":"drill","name":"Drill","email":"drill@example.test","password":"drill-password"}'
USER_ID=$(grep -o '"id":[0-9]*' <<<"$BODY" | tr -dc 0-9)
cache_hit() {
  answers 200 "" GET "/users/$USER_ID" && answers 200 "" GET "/users/$USER_ID" || return 1
  grep -qi '^x-cache: hit' <<<"$HEADERS" || fail "x-cache header: $HEADERS"
}
check "second read is a cache hit" cache_hit
check "create a post" answers 201 "" POST /posts '{"title":"drill","content":"survives a restart"}'
POST_ID=$(grep -o '"post_id":"[0-9a-f]*"' <<<"$BODY" | cut -d'"' -f4)

echo "-- redis-server stopped"
store_stop_redis
check "POST /session answers 503" answers 503 '"error":"sessions database unavailable"' POST /session '{"session_id":"drill","data":"x","ttl":60}'
check "GET /users/:id still served from MariaDB" answers 200 '"username":"drill"' GET "/users/$USER_ID"
check "GET /posts unaffected" answers 200 "" GET /posts
check "readiness 503 naming sessions" answers 503 '"sessions":"sessions database unavailable"' GET /readyz
store_start_redis
check "sessions recover after redis-server restarts" eventually 30 answers 201 "" POST /session '{"session_id":"drill","data":"x","ttl":60}'
check "ready again" eventually 30 answers 200 "" GET /readyz

echo "-- mariadbd stopped"
store_stop_mariadb
check "GET /users answers 503" answers 503 '"error":"users database unavailable"' GET /users
check "GET /posts unaffected" answers 200 "" GET /posts
check "GET /session unaffected" answers 200 '"data":"x"' GET /session/drill
check "readiness 503 naming users" answers 503 '"users":' GET /readyz
store_start_mariadb
check "users recover after mariadbd restarts" eventually 60 answers 200 "" GET "/users/$USER_ID"
check "ready again" eventually 30 answers 200 "" GET /readyz

echo "-- ferretdb stopped"
store_stop_ferretdb
check "GET /posts answers 503" answers 503 '"error":"posts database unavailable"' GET /posts
check "GET /users unaffected" answers 200 "" GET /users
store_start_ferretdb
check "posts recover after ferretdb restarts; the post survived" eventually 30 answers 200 '"content":"survives a restart"' GET "/posts/$POST_ID"
answers_fails() { ! (answers "$@") 2>/dev/null; }
check "the drill's checks can fail: /readyz is not a 418 (negative control)" answers_fails 418 "" GET /readyz

check "SIGTERM: graceful exit 0" exits_cleanly "$SERVICE_PID" "$WORK/service.log"
SERVICE_PID=""

# --- 3. benchmark -----------------------------------------------------------------------------
BENCH_SECONDS=${STORE_TIER_BENCH_DURATION:-3}
if [[ "$BENCH_SECONDS" != 0 ]]; then
  phase "bench/store.ts (${BENCH_SECONDS} s per run)"
  # one round, docs/ left alone: this proves the bench runs against the real servers; the figures
  # worth keeping come from `npm run bench` (docs/performance.md)
  check "bench/store.ts runs without errors" env BENCH_DURATION="$BENCH_SECONDS" BENCH_ROUNDS=1 BENCH_DOCS=0 \
    "$NODE" bench/run.ts store
  sed -n '/^| group/,$p' "$_HARNESS_OUT" 2>/dev/null || true
fi
tier_end
