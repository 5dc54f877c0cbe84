# shellcheck shell=bash
# web's real nginx config (deploy/nginx) for a tier, rendered as the container's entrypoint does
# (envsubst of ${WEB_*} only), its /tmp/nginx paths moved under DIR (run it with nginx -p DIR -c
# DIR/nginx.conf), serving HTML_DIR, proxying to the given stats and hello addresses.
#   render_web_nginx DIR WEB_PORT STATS_ADDR HELLO_ADDR [HTML_DIR]
render_web_nginx() {
  local dir=$1 port=$2 stats=$3 hello=$4 html=${5:-}
  mkdir -p "$dir/html" "$dir/run"
  if [[ -n "$html" ]]; then cp -r "$html/." "$dir/html/"; fi
  sed "s#/tmp/nginx#$dir/run#g" deploy/nginx/nginx.conf >"$dir/nginx.conf"
  WEB_PORT=$port WEB_ROOT=$dir/html WEB_STATS_UPSTREAM=$stats WEB_HELLO_UPSTREAM=$hello \
    WEB_STATS_URL=/stats WEB_STATS_STREAM_URL=/stats/stream WEB_HELLO_URL=/hello/ \
    envsubst '${WEB_PORT} ${WEB_ROOT} ${WEB_STATS_UPSTREAM} ${WEB_HELLO_UPSTREAM} ${WEB_STATS_URL} ${WEB_STATS_STREAM_URL} ${WEB_HELLO_URL}' \
    <deploy/nginx/templates/web.conf.template >"$dir/run/web.conf"
  # Owned by the unprivileged user nginx's workers run as when started by root.
  if [[ "$(id -u)" == 0 ]]; then chown -R nobody:nogroup "$dir"; fi
}
