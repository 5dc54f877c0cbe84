#!/usr/bin/env bash
# Tier routeguide: wire compatibility of the production bundle with non-Node gRPC tooling.
# Builds a client from the canonical generated Go RouteGuide stubs and uses grpcurl (tools:
# tools/routeguide.sh), starts dist/main.mjs (all mode) on loopback, and checks every RPC,
# reflection, health, and each RPC with valid and invalid messages against its documented status.
# Prints the phase timeline and `tier routeguide: N passed, M failed` (tier_end, ci/lib/harness.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
source ci/lib/harness.sh
source tools/lib/tools.sh
tier_begin routeguide

work=$(mktemp -d /tmp/flotilla-routeguide.XXXXXX)
pid=""
cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

phase tools
[[ -x node_modules/.bin/node ]] || npm ci --no-audit --no-fund
require "grpcurl installed (tools/routeguide.sh)" bash tools/routeguide.sh
require "stock Go client built from the canonical stubs" \
  bash -c "cd services/routeguide/test/stock-go-client && GOFLAGS=-mod=mod nice -n 10 go build -o '$work/stock-client' ."

phase "start the bundle"
require "npm run build -w services/routeguide" npm run build -w services/routeguide
grpc_port=$(free_port) backend_port=$(free_port) http_port=$(free_port)
ROUTEGUIDE_MODE=all HOST=127.0.0.1 GRPC_PORT=$grpc_port BACKEND_PORT=$backend_port PORT=$http_port \
  DATA_DIR="$work/data" LOG_LEVEL=warn node_modules/.bin/node services/routeguide/dist/main.mjs >"$work/server.log" 2>&1 &
pid=$!
if ! gate "dist/main.mjs ready on 127.0.0.1:$http_port" wait_http "http://127.0.0.1:$http_port/readyz" 20; then
  tail -n 20 "$work/server.log"
  tier_end
  exit 1
fi

phase "wire checks"
# expect PATTERN COMMAND...: the command's output (stdout and stderr) contains PATTERN.
expect() {
  local pattern=$1 out
  shift
  out=$("$@" 2>&1) || true
  grep -q -- "$pattern" <<<"$out" || fail "no '$pattern' in: ${out:0:600}"
}
G=grpcurl
check "stock Go client: four RPCs + INVALID_ARGUMENT" expect "code = InvalidArgument desc = point.latitude 999999999" "$work/stock-client" "127.0.0.1:$grpc_port"
check "reflection lists routeguide.RouteGuide" expect "^routeguide.RouteGuide$" "$G" -plaintext "127.0.0.1:$grpc_port" list
check "reflection describes RouteSummary" expect "int32 elapsed_time = 4;" "$G" -plaintext "127.0.0.1:$grpc_port" describe routeguide.RouteSummary
check "health Check on the server" expect '"status": "SERVING"' "$G" -plaintext -d '{"service":"routeguide.RouteGuide"}' "127.0.0.1:$grpc_port" grpc.health.v1.Health/Check
check "health Check on the backend" expect '"status": "SERVING"' "$G" -plaintext "127.0.0.1:$backend_port" grpc.health.v1.Health/Check
check "backend stored the served feature (via reflection)" expect "Statue of Liberty" "$G" -plaintext -d '{}' "127.0.0.1:$backend_port" flotilla.routeguide.backend.v1.Backend/ListFeatures
check "inverted rectangle is InvalidArgument" expect "Code: InvalidArgument" "$G" -plaintext -d '{"lo":{"latitude":5},"hi":{"latitude":1}}' "127.0.0.1:$grpc_port" routeguide.RouteGuide/ListFeatures
check "gRPC metrics on /metrics" expect 'grpc_server_handled_total{grpc_service="routeguide.RouteGuide",grpc_method="GetFeature"' curl -fsS "http://127.0.0.1:$http_port/metrics"

phase "every RPC: valid and invalid messages, the documented status codes"
# answers CODE METHOD JSON: grpcurl (reflection) sends JSON (one message, or several for a client
# stream) to RouteGuide/METHOD; CODE OK wants success, any other CODE that gRPC status (README,
# "Behaviour under failure": bad input is INVALID_ARGUMENT).
answers() {
  local code=$1 method=$2 data=$3 out status=0
  out=$("$G" -plaintext -max-time 10 -d "$data" "127.0.0.1:$grpc_port" "routeguide.RouteGuide/$method" 2>&1) || status=$?
  if [[ $code == OK ]]; then
    ((status == 0)) || fail "$method answered an error: ${out:0:400}"
  else
    grep -q "Code: $code" <<<"$out" || fail "$method: no 'Code: $code' in: ${out:0:400}"
  fi
}
P='{"latitude":409146138,"longitude":-746188906}' OFF='{"latitude":999999999,"longitude":0}'
LONG_NOTE=$(printf 'x%.0s' {1..1025}) # MAX_NOTE_BYTES is 1024 by default
check "GetFeature, a point: OK" answers OK GetFeature "$P"
check "GetFeature, latitude beyond 90°: InvalidArgument" answers InvalidArgument GetFeature "$OFF"
check "ListFeatures, a rectangle: OK" answers OK ListFeatures '{"lo":{"latitude":400000000,"longitude":-750000000},"hi":{"latitude":420000000,"longitude":-730000000}}'
check "ListFeatures, no hi corner: InvalidArgument" answers InvalidArgument ListFeatures "{\"lo\":$P}"
check "RecordRoute, two points: OK" answers OK RecordRoute "$P $P"
check "RecordRoute, a point beyond 90°: InvalidArgument" answers InvalidArgument RecordRoute "$P $OFF"
check "RouteChat, a note: OK" answers OK RouteChat "{\"location\":$P,\"message\":\"hello\"}"
check "RouteChat, a note over MAX_NOTE_BYTES: InvalidArgument" answers InvalidArgument RouteChat "{\"location\":$P,\"message\":\"$LONG_NOTE\"}"
check "RouteChat, a note without location: InvalidArgument" answers InvalidArgument RouteChat '{"message":"where?"}'
answers_fails() { ! (answers "$@") 2>/dev/null; }
check "the status checks can fail: an invalid point is not OK (negative control)" answers_fails OK GetFeature "$OFF"

expect_fails() { ! (expect "$@") 2>/dev/null; }
check "the wire checks can fail: a pattern grpcurl does not print (negative control)" \
  expect_fails "^no.such.Service$" "$G" -plaintext "127.0.0.1:$grpc_port" list

phase stop
check "graceful exit 0 on SIGTERM" exits_cleanly "$pid" "$work/server.log"
pid=""
tier_end
