#!/usr/bin/env bash
# Tier e2e: stats + hello + the real nginx config serving the built dashboard, driven in Debian's
# Chromium by playwright-core (ci/e2e/dashboard.e2e.ts, whose checks count into this tier's
# summary), and `nginx -t` on the real config with a negative control. Tools: ci/tools/e2e.sh.
# Prints the phase timeline and `tier e2e: N passed, M failed` (tier_end, ci/lib/harness.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source ci/lib/harness.sh
tier_begin e2e
export CI="${CI:-true}"

WORK=$(mktemp -d /tmp/flotilla-e2e.XXXXXX)
chmod 755 "$WORK"
E2E_PID=""
cleanup() {
  if [[ -n "$E2E_PID" ]] && kill -0 "$E2E_PID" 2>/dev/null; then kill -TERM "$E2E_PID" 2>/dev/null || true; wait "$E2E_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

phase tools
require "Chromium, nginx, envsubst, setpriv, fonts (ci/tools/e2e.sh)" bash ci/tools/e2e.sh
[[ -e node_modules/playwright-core/package.json && -x node_modules/.bin/vite ]] || npm ci --no-audit --no-fund
NODE=$ROOT/node_modules/.bin/node
require "the dashboard builds (vite)" npm run build -w apps/web --silent

# The real nginx config rendered like the container entrypoint does, serving the built dashboard.
# shellcheck source=ci/lib/web-nginx.sh
source ci/lib/web-nginx.sh
STATS_PORT=$(free_port) HELLO_PORT=$(free_port) WEB_PORT=$(free_port)
render_nginx() { render_web_nginx "$1" "$WEB_PORT" "127.0.0.1:$STATS_PORT" "127.0.0.1:$HELLO_PORT" apps/web/dist; }

phase "nginx -t"
render_nginx "$WORK/nginx-test"
check "nginx -t accepts deploy/nginx (nginx.conf + templates/web.conf.template)" \
  nginx -t -q -p "$WORK/nginx-test" -c "$WORK/nginx-test/nginx.conf" -e stderr
render_nginx "$WORK/nginx-broken"
sed -i 's/proxy_buffering off;/proxy_buffering maybe;/' "$WORK/nginx-broken/run/web.conf"
rejects_broken() {
  if nginx -t -q -p "$WORK/nginx-broken" -c "$WORK/nginx-broken/nginx.conf" -e stderr 2>"$WORK/broken.err"; then
    fail "nginx -t accepted a broken config"
  else
    grep -q 'proxy_buffering' "$WORK/broken.err" || fail "nginx -t failed for another reason: $(cat "$WORK/broken.err")"
  fi
}
check "nginx -t rejects a broken variant (proxy_buffering maybe; negative control)" rejects_broken

phase browser
render_nginx "$WORK/nginx"
# nginx reopens /dev/stdout by path for its access log: the file behind it must be its own.
touch "$WORK/nginx.log"
if [[ "$(id -u)" == 0 ]]; then chown nobody:nogroup "$WORK/nginx.log"; fi
E2E_REPO_ROOT=$ROOT E2E_WORK_DIR=$WORK E2E_STATS_PORT=$STATS_PORT E2E_HELLO_PORT=$HELLO_PORT \
  E2E_WEB_ORIGIN=http://127.0.0.1:$WEB_PORT E2E_NGINX_PREFIX=$WORK/nginx \
  E2E_SCREENSHOT=$ROOT/docs/screenshot-dashboard.png E2E_RESULT=$WORK/result.json \
  "$NODE" ci/e2e/dashboard.e2e.ts &
E2E_PID=$!
rc=0
wait "$E2E_PID" || rc=$?
E2E_PID=""
add_report counts "$WORK/result.json"
if ((rc != 0)); then
  # a crash the script could not count still fails the tier
  ((REPORT_FAILED > 0)) || add_results 0 1
  for f in stats hello nginx; do echo "--- $f.log (tail)"; tail -n 30 "$WORK/$f.log" 2>/dev/null || true; done
fi
tier_end
