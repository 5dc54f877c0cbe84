# shellcheck shell=bash
# `npm run platform -- open`: every UI on the host's loopback at once. Each URL it prints answers
# (the dashboard page, Prometheus and Alertmanager ready, VictoriaLogs healthy, Jaeger's API), and
# once it is stopped nothing listens there any more (the control: the same requests fail).

OPEN_PID=""

# the paths that prove each UI is the one named: NAME PATH WANTED-BODY-TEXT
OPEN_PROBES=("web / <div id=\"root\">" "prometheus /-/ready Ready" "alertmanager /-/ready OK"
  "logs /health OK" "traces /api/services data")

_open_urls() { grep -oE '^  [a-z]+: http://127\.0\.0\.1:[0-9]+/' "$WORK/open.log" | sed 's/^  //'; }

open_start() {
  setsid bash "$ROOT/deploy/platform/platform.sh" open >"$WORK/open.log" 2>&1 &
  OPEN_PID=$!
  wait_until 30 bash -c "[[ \$(grep -c 'http://127.0.0.1' '$WORK/open.log') == 5 ]]" || { cat "$WORK/open.log"; return 1; }
}

# _open_answers MODE: every UI answers its probe (MODE=up), or none does (MODE=down)
_open_answers() {
  local probe name path want url body
  for probe in "${OPEN_PROBES[@]}"; do
    read -r name path want <<<"$probe"
    url=$(_open_urls | awk -v n="$name:" '$1 == n { print $2 }')
    [[ -n "$url" ]] || { fail "open printed no URL for $name"; continue; }
    body=$(curl -sS --max-time 5 "${url%/}$path" 2>/dev/null) || body=""
    if [[ "$1" == up && "$body" != *"$want"* ]]; then fail "$name: ${url%/}$path answered '${body:0:80}'"; fi
    if [[ "$1" == down && -n "$body" ]]; then fail "$name still answers at $url after open stopped"; fi
  done
}

open_stop() {
  [[ -n "$OPEN_PID" ]] || return 0
  kill -TERM -- "-$OPEN_PID" 2>/dev/null
  wait "$OPEN_PID" 2>/dev/null
  OPEN_PID=""
}

scenario_open() {
  gate "platform open: five URLs printed (dashboard, Prometheus, Alertmanager, logs, traces)" open_start || return
  EVERY=2 check "platform open: each answers as itself (web's page, Prometheus and Alertmanager ready, VictoriaLogs, Jaeger's API)" \
    eventually 30 _open_answers up
  open_stop
  check "platform open stopped: nothing answers there any more (control)" _open_answers down
}
