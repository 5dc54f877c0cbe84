# shellcheck shell=bash
# Shared helpers of the container tier: counted checks and HTTP assertions against loopback.
# Sourced by ci/tier-containers.sh; every check prints one line and counts as passed or failed.

PASSED=0
FAILED=0

# check DESCRIPTION COMMAND...: runs COMMAND, counts the result (and returns 0, so a failed check
# does not stop the tier under set -e); COMMAND explains its failures on stderr. A check fails
# when COMMAND returns non-zero OR called `fail` on the way: `set -e` is off inside `if`, so a
# `cond || fail ...` line that is not the last one would otherwise be ignored.
CHECK_FAILED=0
check() {
  local desc=$1
  shift
  CHECK_FAILED=0
  if "$@" && ((CHECK_FAILED == 0)); then
    PASSED=$((PASSED + 1))
    echo "  ok    $desc"
    CHECK_OK=1
  else
    FAILED=$((FAILED + 1))
    echo "  FAIL  $desc"
    CHECK_OK=0
  fi
}

# gate DESCRIPTION COMMAND...: a check whose result later steps depend on (returns its status).
gate() {
  check "$@"
  ((CHECK_OK == 1))
}

fail() {
  CHECK_FAILED=1
  echo "        $*" >&2
  return 1
}

# eventually SECONDS COMMAND...: retries COMMAND (quietly, every 0.5 s) until it succeeds; the
# failures of the attempts before do not count, the last attempt's do (and are shown).
eventually() {
  local deadline=$((SECONDS + $1)) saved=$CHECK_FAILED
  shift
  until "$@" 2>/dev/null && ((CHECK_FAILED == saved)); do
    CHECK_FAILED=$saved
    if ((SECONDS >= deadline)); then
      "$@"
      return
    fi
    sleep 0.5
  done
}

# http_expect STATUS URL [curl args...]: the response status is STATUS; the body is left in $HTTP_BODY.
HTTP_BODY=""
HTTP_HEADERS=""
http_expect() {
  local want=$1 url=$2
  shift 2
  local tmp status
  tmp=$(mktemp)
  status=$(curl -sS --max-time 10 -o "$tmp.body" -D "$tmp.head" -w '%{http_code}' "$@" "$url") || status="curl-error"
  HTTP_BODY=$(cat "$tmp.body" 2>/dev/null || true)
  HTTP_HEADERS=$(cat "$tmp.head" 2>/dev/null || true)
  rm -f "$tmp" "$tmp.body" "$tmp.head"
  [[ "$status" == "$want" ]] || fail "$url: status $status, want $want; body: ${HTTP_BODY:0:300}"
}

# body_has TEXT: the last http_expect body contains TEXT (fixed string).
body_has() {
  grep -qF -- "$1" <<<"$HTTP_BODY" || fail "body lacks '$1': ${HTTP_BODY:0:300}"
}

# header_has REGEX: the last http_expect response has a header line matching REGEX (case-insensitive).
header_has() {
  grep -qiE -- "$1" <<<"$HTTP_HEADERS" || fail "no header matching '$1'"
}

# json_eval EXPR: evaluates a Python expression over the last body parsed as JSON as `j`.
json_eval() {
  python3 -c 'import json,sys; j=json.loads(sys.stdin.read()); sys.exit(0 if eval(sys.argv[1]) else 1)' "$1" <<<"$HTTP_BODY" \
    || fail "JSON check failed: $1 on ${HTTP_BODY:0:300}"
}

# wait_http URL SECONDS: polls until URL answers 200.
wait_http() {
  local url=$1 deadline=$((SECONDS + $2))
  until curl -fsS --max-time 2 -o /dev/null "$url" 2>/dev/null; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

# free_port: an unused TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

human_mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
