#!/usr/bin/env bash
# Tier fleet: the README's run command. `npm start` brings up every member of the registry on its
# embedded defaults, prints each URL, serves, and stops cleanly (exit 0, nothing left listening)
# on Ctrl-C. Uses the fixed local ports of npm start (8090, 8080, ...).
# Prints the phase timeline and `tier fleet: N passed, M failed` (tier_end, ci/lib/harness.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
source ci/lib/harness.sh
tier_begin fleet

log=$(mktemp /tmp/flotilla-fleet.XXXXXX)
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill -KILL -- "-$pid" 2>/dev/null || true; fi
  rm -f "$log"
}
trap cleanup EXIT

phase start
# setsid: its own process group, so the SIGINT below reaches npm and everything under it, as
# Ctrl-C in a terminal does.
setsid npm start >"$log" 2>&1 </dev/null &
pid=$!
fleet_running() {
  grep -q "Flotilla is running" "$log" && return 0
  kill -0 "$pid" 2>/dev/null || { fail "npm start exited early: $(tail -n 30 "$log")"; return 1; }
  return 1
}
every_member_started() {
  ! grep -q "did not start" "$log" || fail "$(sed -n '/Flotilla is running/,/^$/p' "$log")"
}
if ! gate "npm start: the fleet runs within 120 s" eventually 120 fleet_running || ! gate "every member started" every_member_started; then
  tail -n 50 "$log"
  tier_end
  exit 1
fi

phase serve
mapfile -t urls < <(sed -n '/Flotilla is running/,/^$/p' "$log" | grep -o 'http://127.0.0.1:[0-9]*/')
answers() { # kit services answer /healthz; the dashboard's dev server answers its page
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' "${1}healthz") || true
  [[ "$code" == 200 ]] || code=$(curl -s -o /dev/null -w '%{http_code}' "$1") || true
  [[ "$code" == 200 ]] || fail "$1 answered $code on /healthz and /"
}
check "npm start printed the members' URLs (${#urls[@]})" test "${#urls[@]}" -gt 0
for url in "${urls[@]}"; do check "$url answers 200" answers "$url"; done
check "hello /hello answers hello" bash -c '[[ "$(curl -s http://127.0.0.1:8090/hello)" == hello ]]'

phase "stop (Ctrl-C)"
stop_fleet() {
  kill -INT -- "-$pid"
  local status=0
  wait "$pid" || status=$?
  pid=""
  # npm reports a Ctrl-C as 130 (128 + SIGINT), the shell convention; anything else is a failure.
  [[ "$status" == 0 || "$status" == 130 ]] || fail "npm start exited $status after Ctrl-C"
  grep -q "Flotilla stopped." "$log" || fail "no clean stop message"
}
check "Ctrl-C stops npm start cleanly" stop_fleet
# Every member built on the kit (the registry's members with an OpenAPI document) drained.
drained() { grep -Eq "^$1 +\| .*\"shutdown complete\"" "$log" || fail "$1 did not log a completed shutdown"; }
registry() { node_modules/.bin/node scripts/registry.ts "$@"; }
for name in $(registry names); do
  [[ "$(registry get "$name" openapi)" == null ]] || check "$name drained (shutdown complete)" drained "$name"
done
gone() { ! curl -s -o /dev/null --max-time 2 "$1" || fail "$1 still answers after stop"; }
for url in "${urls[@]}"; do check "$url no longer answers" gone "$url"; done
tier_end
