# shellcheck shell=bash
# Waiting for a server the CI started in the background to come up. Sourced; defines:
#   await_daemon PID SECONDS LOG WHAT PROBE...
#     runs PROBE until it succeeds; if SECONDS pass or PID exits first, prints the end of LOG and
#     "WHAT did not come up", and returns 1 (a dead server is reported at once, not after SECONDS).
await_daemon() {
  local pid=$1 deadline=$((SECONDS + $2)) log=$3 what=$4
  shift 4
  until "$@"; do
    if ((SECONDS > deadline)) || ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$log" >&2
      echo "$what did not come up" >&2
      return 1
    fi
    sleep 0.3
  done
}
