#!/usr/bin/env bash
# Browser end-to-end tier: stats + hello + the real nginx config serving the built dashboard,
# driven in Debian's Chromium by playwright-core (ci/e2e/dashboard.e2e.ts).
# Also `nginx -t` on the real config. Installs what it needs; cleans up what it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CI="${CI:-true}"

# ---- tools (idempotent)
need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v nginx >/dev/null || need_apt+=(nginx)
command -v envsubst >/dev/null || need_apt+=(gettext-base)
command -v setpriv >/dev/null || need_apt+=(util-linux)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
[ -e node_modules/playwright-core/package.json ] && [ -x node_modules/.bin/vite ] || npm ci --no-audit --no-fund
NODE=$ROOT/node_modules/.bin/node

# ---- work dir and cleanup
WORK=$(mktemp -d /tmp/flotilla-e2e.XXXXXX)
chmod 755 "$WORK"
E2E_PID=""
cleanup() {
  if [ -n "$E2E_PID" ] && kill -0 "$E2E_PID" 2>/dev/null; then kill -TERM "$E2E_PID" 2>/dev/null || true; wait "$E2E_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# ---- build the dashboard
npm run build -w apps/web --silent >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }

# ---- render the real nginx config like the container entrypoint does (envsubst of ${WEB_*}),
# with its /tmp/nginx paths moved into $1 (nginx -p prefix) and the dashboard served from there.
free_port() { "$NODE" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
STATS_PORT=$(free_port); HELLO_PORT=$(free_port); WEB_PORT=$(free_port)
render_nginx() {
  local dir=$1
  mkdir -p "$dir/html" "$dir/run"
  cp -r apps/web/dist/. "$dir/html/"
  sed "s#/tmp/nginx#$dir/run#g" deploy/nginx/nginx.conf >"$dir/nginx.conf"
  WEB_PORT=$WEB_PORT WEB_ROOT=$dir/html \
    WEB_STATS_UPSTREAM=127.0.0.1:$STATS_PORT WEB_HELLO_UPSTREAM=127.0.0.1:$HELLO_PORT \
    WEB_STATS_URL=/stats WEB_STATS_STREAM_URL=/stats/stream WEB_HELLO_URL=/hello/ \
    envsubst '${WEB_PORT} ${WEB_ROOT} ${WEB_STATS_UPSTREAM} ${WEB_HELLO_UPSTREAM} ${WEB_STATS_URL} ${WEB_STATS_STREAM_URL} ${WEB_HELLO_URL}' \
    <deploy/nginx/templates/web.conf.template >"$dir/run/web.conf"
  # Owned by the unprivileged user nginx runs as in this tier (as root only).
  if [ "$(id -u)" = 0 ]; then chown -R nobody:nogroup "$dir"; fi
}

passed=0
failed=0

# nginx -t: the real config must be valid, and a broken one must be caught (the check can fail).
render_nginx "$WORK/nginx-test"
if nginx -t -q -p "$WORK/nginx-test" -c "$WORK/nginx-test/nginx.conf" -e stderr; then
  echo "ok   - nginx -t accepts deploy/nginx (nginx.conf + templates/web.conf.template)"; passed=$((passed + 1))
else
  echo "FAIL - nginx -t rejects deploy/nginx"; failed=$((failed + 1))
fi
render_nginx "$WORK/nginx-broken"
sed -i 's/proxy_buffering off;/proxy_buffering maybe;/' "$WORK/nginx-broken/run/web.conf"
if nginx -t -q -p "$WORK/nginx-broken" -c "$WORK/nginx-broken/nginx.conf" -e stderr 2>"$WORK/broken.err"; then
  echo "FAIL - nginx -t accepted a broken config"; failed=$((failed + 1))
elif grep -q 'proxy_buffering' "$WORK/broken.err"; then
  echo "ok   - nginx -t rejects a broken variant (proxy_buffering maybe)"; passed=$((passed + 1))
else
  echo "FAIL - nginx -t failed for another reason:"; cat "$WORK/broken.err"; failed=$((failed + 1))
fi

# ---- the browser run
render_nginx "$WORK/nginx"
# nginx reopens /dev/stdout by path for its access log: the file behind it must be its own.
touch "$WORK/nginx.log"
if [ "$(id -u)" = 0 ]; then chown nobody:nogroup "$WORK/nginx.log"; fi
E2E_REPO_ROOT=$ROOT E2E_WORK_DIR=$WORK E2E_STATS_PORT=$STATS_PORT E2E_HELLO_PORT=$HELLO_PORT \
  E2E_WEB_ORIGIN=http://127.0.0.1:$WEB_PORT E2E_NGINX_PREFIX=$WORK/nginx \
  E2E_SCREENSHOT=$ROOT/docs/screenshot-dashboard.png E2E_RESULT=$WORK/result.json \
  "$NODE" ci/e2e/dashboard.e2e.ts &
E2E_PID=$!
set +e
wait "$E2E_PID"
rc=$?
set -e
E2E_PID=""
if [ -f "$WORK/result.json" ]; then
  passed=$((passed + $("$NODE" -p "require('$WORK/result.json').passed")))
  failed=$((failed + $("$NODE" -p "require('$WORK/result.json').failed")))
fi
if [ "$rc" -ne 0 ] || [ "$failed" -ne 0 ]; then
  [ "$failed" -ne 0 ] || failed=1
  for f in stats hello nginx; do echo "--- $f.log (tail)"; tail -n 30 "$WORK/$f.log" 2>/dev/null || true; done
fi
echo "tier e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
