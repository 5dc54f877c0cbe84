# shellcheck shell=bash
# HTTP assertions of the container tier against loopback, for use inside harness checks
# (ci/lib/harness.sh): each explains its failure with `fail`.

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
  python3 "$ROOT/ci/lib/json-eval.py" "$1" <<<"$HTTP_BODY" || fail "JSON check failed: $1 on ${HTTP_BODY:0:300}"
}

human_mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
