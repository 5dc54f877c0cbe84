# shellcheck shell=bash
# The one pass/fail harness of the CI tiers. Source it, then:
#   tier_begin NAME              names the tier (for the summary line) and starts its clock
#   phase NAME                   starts a timed phase; the previous one's duration is printed
#   check DESC CMD...            runs CMD, counts it, prints "ok"/"FAIL" (+ the tail of its output)
#   gate DESC CMD...             a check later steps depend on: returns CMD's status
#   require DESC CMD...          a gate the rest of the tier depends on: on failure the tier ends
#                                here (summary printed, exit 1)
#   fail MSG                     inside a check: explain and mark the check failed
#   eventually SECONDS CMD...    retries CMD until it passes; only the last attempt's failure counts
#                                (every 0.5 s; EVERY=2 eventually ... for slow CMDs such as kubectl)
#   tier_end                     prints the phase timeline and `tier NAME: N passed, M failed`;
#                                returns non-zero when anything failed or nothing was checked
#   add_results PASSED FAILED    counts the results of a runner that checks by itself into the summary
#   add_report vitest|counts F   add_results from such a runner's report file (Vitest's JSON report,
#                                the browser script's counts; ci/lib/report-counts.py); sets
#                                REPORT_FAILED
#   free_port                    prints a TCP port free on 127.0.0.1, below the ephemeral range
#                                (ci/lib/ports.py says why)
#   wait_until SECONDS CMD...    the one readiness wait: polls CMD quietly every 0.5 s until it
#                                passes; returns 1 after SECONDS (for setup steps; checks use eventually)
#   wait_http URL SECONDS        wait_until URL answers 2xx; fails after SECONDS, saying so
#   exits_cleanly PID LOG        SIGTERM to PID (a child of the tier), which must exit 0 (else the
#                                end of LOG is shown)
# A check's output goes to a file and is shown only when it fails, so a green log stays short.
#
# Error handling, the same in every tier: `set -uo pipefail`, no `set -e`. Every step whose failure
# matters runs under check, gate or require, so a failure is counted, explained and the tier still
# prints its summary; a step the rest depends on is a require (or a gate with its own way out).

# The tag of the fleet's images that tier containers builds and checks, and that the cluster tiers
# load (`npm run images` builds `local` for people; CI keeps its own so a developer's images stay).
export FLOTILLA_IMAGE_TAG=${FLOTILLA_IMAGE_TAG:-ci}

PASSED=0
FAILED=0
CHECK_FAILED=0
CHECK_OK=0
TIER_NAME=${TIER_NAME:-tier}
TIER_T0=$SECONDS
_PHASE_NAME=""
_PHASE_T0=$SECONDS
declare -a _PHASES=()
_HARNESS_OUT=$(mktemp /tmp/flotilla-check.XXXXXX)
_HARNESS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

tier_begin() {
  TIER_NAME=$1
  TIER_T0=$SECONDS
  _PHASE_T0=$SECONDS
}

_phase_close() {
  [[ -n "$_PHASE_NAME" ]] || return 0
  local d=$((SECONDS - _PHASE_T0))
  _PHASES+=("$(printf '%6d s  %s' "$d" "$_PHASE_NAME")")
  echo "--- phase '$_PHASE_NAME' took ${d} s"
  _PHASE_NAME=""
}

phase() {
  _phase_close
  _PHASE_NAME=$1
  _PHASE_T0=$SECONDS
  echo "--- phase '$1' (t=$((SECONDS - TIER_T0)) s)"
}

check() {
  local desc=$1
  shift
  CHECK_FAILED=0
  if "$@" >"$_HARNESS_OUT" 2>&1 && ((CHECK_FAILED == 0)); then
    PASSED=$((PASSED + 1))
    CHECK_OK=1
    echo "  ok    $desc"
  else
    FAILED=$((FAILED + 1))
    CHECK_OK=0
    echo "  FAIL  $desc"
    tail -n 40 "$_HARNESS_OUT" | sed 's/^/        /'
  fi
}

gate() {
  check "$@"
  ((CHECK_OK == 1))
}

require() {
  gate "$@" && return 0
  tier_end
  exit 1
}

fail() {
  CHECK_FAILED=1
  echo "$*" >&2
  return 1
}

eventually() {
  local deadline=$((SECONDS + $1)) saved=$CHECK_FAILED
  shift
  until "$@" >/dev/null 2>&1 && ((CHECK_FAILED == saved)); do
    CHECK_FAILED=$saved
    if ((SECONDS >= deadline)); then
      "$@"
      return
    fi
    sleep "${EVERY:-0.5}"
  done
}

tier_end() {
  _phase_close
  if ((${#_PHASES[@]} > 0)); then
    echo "--- timeline of tier $TIER_NAME ($((SECONDS - TIER_T0)) s)"
    printf '%s\n' "${_PHASES[@]}"
  fi
  rm -f "$_HARNESS_OUT"
  echo "tier $TIER_NAME: $PASSED passed, $FAILED failed"
  ((FAILED == 0 && PASSED > 0))
}

add_results() {
  PASSED=$((PASSED + $1))
  FAILED=$((FAILED + $2))
}

add_report() {
  local passed
  read -r passed REPORT_FAILED < <(python3 "$_HARNESS_DIR/report-counts.py" "$1" "$2")
  echo "  $1 report: $passed passed, $REPORT_FAILED failed"
  add_results "$passed" "$REPORT_FAILED"
}

free_port() {
  python3 "$_HARNESS_DIR/ports.py" free 1
}

wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

wait_http() {
  wait_until "$2" curl -fsS --max-time 2 -o /dev/null "$1" || { echo "$1 did not answer 2xx within $2 s" >&2; return 1; }
}

exits_cleanly() {
  kill -TERM "$1"
  local rc=0
  wait "$1" || rc=$?
  ((rc == 0)) || fail "exit $rc after SIGTERM: $(tail -n 20 "$2" 2>/dev/null)"
}
