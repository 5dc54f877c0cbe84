#!/usr/bin/env bash
# The README's run command: `npm start` brings up every service on its embedded defaults,
# prints each URL, serves, and stops cleanly (exit 0, nothing left listening) on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
passed=0
fail() { echo "tier fleet: $1"; echo "--- npm start output:"; tail -50 "$log"; echo "tier fleet: $passed passed, 1 failed"; exit 1; }

# setsid: its own process group, so the SIGINT below reaches npm and everything under it, as
# Ctrl-C in a terminal does.
setsid npm start >"$log" 2>&1 < /dev/null &
pid=$!
trap 'kill -KILL -- -$pid 2>/dev/null || true' EXIT

for _ in $(seq 1 240); do
  grep -q "Flotilla is running" "$log" && break
  kill -0 $pid 2>/dev/null || fail "npm start exited early"
  sleep 0.5
done
grep -q "Flotilla is running" "$log" || fail "fleet not running after 120 s"
if grep -q "did not start" "$log"; then fail "a member did not start"; fi
passed=$((passed + 1))

mapfile -t urls < <(sed -n '/Flotilla is running/,/^$/p' "$log" | grep -o 'http://127.0.0.1:[0-9]*/')
[ "${#urls[@]}" -gt 0 ] || fail "no URLs printed"
for url in "${urls[@]}"; do
  # Kit services answer /healthz; the dashboard's dev server answers its page.
  code=$(curl -s -o /dev/null -w '%{http_code}' "${url}healthz") || true
  [ "$code" = 200 ] || code=$(curl -s -o /dev/null -w '%{http_code}' "$url") || true
  [ "$code" = 200 ] || fail "$url answered $code on /healthz and /"
  echo "ok $url -> $code"
  passed=$((passed + 1))
done
[ "$(curl -s http://127.0.0.1:8090/hello)" = "hello" ] || fail "hello /hello did not answer hello"
passed=$((passed + 1))

kill -INT -- -$pid
status=0
wait $pid || status=$?
# npm reports a Ctrl-C as 130 (128 + SIGINT), the shell convention; anything else is a failure.
[ "$status" -eq 0 ] || [ "$status" -eq 130 ] || fail "npm start exited $status after Ctrl-C"
grep -q "Flotilla stopped." "$log" || fail "no clean stop message"
# Every kit-based service (the registry's members with an OpenAPI document) drained rather than being killed.
for name in $(node_modules/.bin/node -e 'import("./scripts/registry.ts").then((r) => r.readRegistry().filter((m) => m.openapi).forEach((m) => console.log(m.name)))'); do
  grep -Eq "^$name +\| .*\"shutdown complete\"" "$log" || fail "$name did not log a completed shutdown"
done
for url in "${urls[@]}"; do
  if curl -s -o /dev/null --max-time 2 "$url"; then fail "$url still answers after stop"; fi
done
passed=$((passed + 1))
trap - EXIT
echo "tier fleet: $passed passed, 0 failed"
