#!/usr/bin/env bash
# Tier routeguide: wire compatibility of the production bundle with non-Node gRPC tooling.
# Builds a client from the canonical generated Go RouteGuide stubs and grpcurl (both from the Go
# module proxy), starts dist/main.mjs (all mode) on loopback, and checks every RPC, reflection,
# health, and an INVALID_ARGUMENT answer.
set -euo pipefail
cd "$(dirname "$0")/.."

GRPCURL_VERSION=v1.9.3
work=$(mktemp -d)
pid=""
cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v go >/dev/null 2>&1; then
  if [[ -x /usr/local/go/bin/go ]]; then export PATH="/usr/local/go/bin:$PATH"; else
    echo "tier routeguide: Go toolchain missing (needs go >= 1.24)" >&2; exit 1
  fi
fi
[[ -x node_modules/.bin/node ]] || npm ci
export GOBIN="$work/bin" GOFLAGS=-mod=mod
go install "github.com/fullstorydev/grpcurl/cmd/grpcurl@${GRPCURL_VERSION}"
(cd services/routeguide/test/stock-go-client && go build -o "$work/bin/stock-client" .)
npm run build -w services/routeguide >/dev/null

port() { node_modules/.bin/node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
grpc_port=$(port); backend_port=$(port); http_port=$(port)
ROUTEGUIDE_MODE=all HOST=127.0.0.1 GRPC_PORT=$grpc_port BACKEND_PORT=$backend_port PORT=$http_port \
  DATA_DIR="$work/data" LOG_LEVEL=warn node_modules/.bin/node services/routeguide/dist/main.mjs >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$http_port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done

passed=0
failed=0
check() { # name, command...
  local name=$1; shift
  if out=$("$@" 2>&1); then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; echo "$out" | sed 's/^/     /'; fi
}
expect() { # name, pattern, command...
  local name=$1 pattern=$2; shift 2
  check "$name" bash -c '"$@" 2>&1 | tee /dev/stderr | grep -q -- "$0"' "$pattern" "$@"
}
G="$work/bin/grpcurl"
expect "stock Go client: four RPCs + INVALID_ARGUMENT" "code = InvalidArgument desc = point.latitude 999999999" "$work/bin/stock-client" "127.0.0.1:$grpc_port"
expect "reflection lists routeguide.RouteGuide" "^routeguide.RouteGuide$" "$G" -plaintext "127.0.0.1:$grpc_port" list
expect "reflection describes RouteSummary" "int32 elapsed_time = 4;" "$G" -plaintext "127.0.0.1:$grpc_port" describe routeguide.RouteSummary
expect "health Check on the server" '"status": "SERVING"' "$G" -plaintext -d '{"service":"routeguide.RouteGuide"}' "127.0.0.1:$grpc_port" grpc.health.v1.Health/Check
expect "health Check on the backend" '"status": "SERVING"' "$G" -plaintext "127.0.0.1:$backend_port" grpc.health.v1.Health/Check
expect "backend stored the served feature (via reflection)" "Statue of Liberty" "$G" -plaintext -d '{}' "127.0.0.1:$backend_port" flotilla.routeguide.backend.v1.Backend/ListFeatures
expect "inverted rectangle is InvalidArgument" "Code: InvalidArgument" "$G" -plaintext -d '{"lo":{"latitude":5},"hi":{"latitude":1}}' "127.0.0.1:$grpc_port" routeguide.RouteGuide/ListFeatures
expect "gRPC metrics on /metrics" 'grpc_server_handled_total{grpc_service="routeguide.RouteGuide",grpc_method="GetFeature"' curl -fsS "http://127.0.0.1:$http_port/metrics"

kill -TERM "$pid"
if wait "$pid"; then passed=$((passed + 1)); echo "ok   graceful exit 0 on SIGTERM"; else failed=$((failed + 1)); echo "FAIL graceful exit on SIGTERM"; fi
pid=""
echo "tier routeguide: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
