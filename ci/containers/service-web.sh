# shellcheck shell=bash
# web in its container: the dashboard behind unprivileged nginx (deploy/docker/web.Dockerfile).
# Not a Node image, so it has its own image checks (uid 101, no build toolchain left in the image,
# bundle read-only to nginx) instead of image-checks.sh's scratch ones; the HTTP checks run with
# the real stats and hello images behind it on a private network, as in compose.

WEB_UID=101

# Called by the tier before the image is built: the base image stand-in (no registry here).
web_prepare() {
  check "web: stand-in base nginxinc/nginx-unprivileged available" bash deploy/docker/base/build-nginx-standin.sh
}

web_config() {
  local user ports stop hc
  user=$(cfg "$1" '{{.Config.User}}')
  ports=$(cfg "$1" '{{range $p, $_ := .Config.ExposedPorts}}{{$p}} {{end}}')
  stop=$(cfg "$1" '{{.Config.StopSignal}}')
  hc=$(cfg "$1" '{{json .Config.Healthcheck.Test}}')
  [[ "$user" == "$WEB_UID:$WEB_UID" ]] || fail "Config.User is '$user'"
  [[ "$ports" == "8080/tcp " ]] || fail "exposed ports '$ports', want 8080/tcp"
  [[ "$stop" == SIGQUIT ]] || fail "StopSignal '$stop', want SIGQUIT (nginx's graceful stop)"
  [[ "$hc" == '["CMD",'* ]] || fail "Healthcheck is $hc, want the exec form"
}

# export_files_numeric IMAGE OUT: like export_files, with numeric owners.
web_export_files() {
  local cid
  cid=$("$DOCKER" create "$1")
  "$DOCKER" export "$cid" | tar --numeric-owner -tvf - >"$2"
  "$DOCKER" rm "$cid" >/dev/null
}

# Nothing of the build stage in the final image: no node, npm, node_modules or sources.
web_no_toolchain() {
  local bad
  bad=$(awk '{print $6}' "$1" | grep -E '(^|/)(node|npm|npx|corepack)$|(^|/)node_modules/|(^|/)src/.*\.tsx?$|(^|/)package-lock\.json$' || true)
  [[ -z "$bad" ]] || fail "found: $(head -n 10 <<<"$bad" | tr '\n' ' ')"
  grep -qE ' usr/share/nginx/html/index\.html$' "$1" || fail "no dashboard index.html"
  grep -qE ' usr/share/nginx/html/assets/[^/]+\.js$' "$1" || fail "no bundled JavaScript under assets/"
}

# The bundle is owned by root and not writable by anyone else: nginx (101) serves it, cannot change it.
web_bundle_read_only() {
  local bad
  bad=$(awk '$6 ~ /^usr\/share\/nginx\/html\// && ($2 != "0/0" || substr($1, 6, 1) == "w" || substr($1, 9, 1) == "w") {print $1, $2, $6}' "$1")
  [[ -z "$bad" ]] || fail "writable or not root-owned: $(head -n 5 <<<"$bad" | tr '\n' ';')"
}

web_process_identity() { # container
  local pid status
  pid=$("$DOCKER" inspect --format '{{.State.Pid}}' "$1")
  status=$(cat "/proc/$pid/status") || return 1
  grep -qE "^Uid:\s+$WEB_UID\s+$WEB_UID\s+$WEB_UID\s+$WEB_UID$" <<<"$status" || fail "$(grep ^Uid <<<"$status")"
  grep -qE '^CapEff:\s+0+$' <<<"$status" || fail "$(grep ^CapEff <<<"$status")"
  grep -qE '^NoNewPrivs:\s+1$' <<<"$status" || fail "$(grep ^NoNewPrivs <<<"$status")"
  # nginx's workers too: every process of the container (master + at least one worker) runs as 101
  local procs
  procs=$("$DOCKER" top "$1" -eo pid,uid,comm) || return 1
  (($(awk 'NR > 1' <<<"$procs" | wc -l) >= 2)) || fail "expected nginx master and workers: $procs"
  awk -v uid="$WEB_UID" 'NR > 1 && $2 != uid {bad = 1} END {exit bad}' <<<"$procs" || fail "processes not uid $WEB_UID: $procs"
}

web_dashboard() {
  http_expect 200 "$1/" && header_has '^content-type: text/html' && body_has '<div id="root">' \
    && header_has "^content-security-policy: default-src 'self'" && header_has '^x-frame-options: DENY' \
    && header_has '^cache-control: no-cache'
}

web_config_json() {
  http_expect 200 "$1/config.json" && json_eval 'j == {"statsUrl": "/stats", "streamUrl": "/stats/stream", "helloUrl": "/hello/"}'
}

web_stats_proxied() {
  eventually 15 http_expect 200 "$1/stats" || return 1 # stats answers 503 until its first sample
  json_eval '0 <= j["ram"] <= 100 and 0 <= j["cpu"] <= 100' && header_has '^content-security-policy:'
}

web_stream_proxied() {
  local out
  out=$(curl -sS -N --max-time 2.5 "$1/stats/stream" 2>/dev/null || true)
  [[ $(grep -c '^event: stats$' <<<"$out") -ge 2 ]] || fail "fewer than 2 stats events through nginx in 2.5 s (buffered?): ${out:0:300}"
}

web_hello_proxied() {
  http_expect 200 "$1/hello/" -H 'Accept: application/json' && json_eval 'j["messages"] == ["web one", "web two"]' \
    && http_expect 200 "$1/hello/hello" && [[ "$HTTP_BODY" == hello ]] || fail "/hello/hello body '$HTTP_BODY'"
}

web_missing_asset() {
  http_expect 404 "$1/assets/missing-0000.js"
}

# nginx's own JSON error: 502 when the connection is refused, 504 when the connect times out (a
# stopped container's address usually just stops answering).
web_upstream_down() {
  "$DOCKER" stop -t 10 "$RUN_ID-web-stats" >/dev/null || return 1
  local status
  status=$(curl -sS --max-time 10 -o "$WORK/web-down.json" -w '%{http_code}' "$1/stats") || true
  HTTP_BODY=$(cat "$WORK/web-down.json" 2>/dev/null || true)
  [[ "$status" == 502 || "$status" == 504 ]] || fail "status $status, want 502/504"
  json_eval 'j == {"error": "upstream unavailable"}'
}

web_healthz() {
  http_expect 200 "$1/healthz" && [[ "$HTTP_BODY" == ok ]] || fail "body '$HTTP_BODY'"
}

# web_image_checks SERVICE IMAGE PORT REVISION: replaces image_checks for this image.
web_image_checks() {
  local image=$2 port=$3 revision=$4
  local net="$RUN_ID-web" name="$RUN_ID-web" host_port files="$WORK/web.files" base

  check "web: image runs as $WEB_UID:$WEB_UID, EXPOSE 8080, STOPSIGNAL SIGQUIT, exec-form HEALTHCHECK" web_config "$image"
  check "web: OCI labels set" check_config_labels "$image" "$revision"
  web_export_files "$image" "$files"
  check "web: no node, npm, node_modules or sources in the final image" web_no_toolchain "$files"
  check "web: dashboard files owned by root, read-only to nginx" web_bundle_read_only "$files"

  # stats and hello under the names the image's defaults point at (stats:8080, hello:8090)
  "$DOCKER" network create --label "org.flotilla.ci=$RUN_ID" "$net" >/dev/null
  "$DOCKER" run -d --name "$RUN_ID-web-stats" --label "org.flotilla.ci=$RUN_ID" "${HARDENED_RUN[@]}" \
    --network "$net" --network-alias stats "flotilla/stats:$IMAGE_TAG" >/dev/null
  "$DOCKER" run -d --name "$RUN_ID-web-hello" --label "org.flotilla.ci=$RUN_ID" "${HARDENED_RUN[@]}" \
    --network "$net" --network-alias hello -e 'MESSAGES=web one|web two' "flotilla/hello:$IMAGE_TAG" >/dev/null

  host_port=$(free_port)
  base="http://127.0.0.1:$host_port"
  "$DOCKER" run -d --name "$name" --label "org.flotilla.ci=$RUN_ID" "${HARDENED_RUN[@]}" \
    --network "$net" -p "127.0.0.1:$host_port:$port" "$image" >/dev/null
  if ! gate "web: serves on 127.0.0.1:$host_port within 30 s (read-only root, no capabilities)" wait_http "$base/healthz" 30; then
    "$DOCKER" logs "$name" 2>&1 | tail -n 20 >&2
  fi
  check "web: every process uid $WEB_UID, no capabilities, no_new_privs" web_process_identity "$name"
  check "web: GET / dashboard with the security headers" web_dashboard "$base"
  check "web: /config.json rendered from the environment at start" web_config_json "$base"
  check "web: /healthz answered by nginx" web_healthz "$base"
  check "web: /stats proxied to the stats container" web_stats_proxied "$base"
  check "web: /stats/stream proxied unbuffered (SSE)" web_stream_proxied "$base"
  check "web: /hello/ proxied to hello with the prefix stripped" web_hello_proxied "$base"
  check "web: a missing hashed asset is 404" web_missing_asset "$base"
  check "web: Docker health check turns healthy" check_healthy "$name" 60
  check "web: stats down -> nginx answers JSON {\"error\": \"upstream unavailable\"} (502/504)" web_upstream_down "$base"
  check "web: docker stop exits 0 (SIGQUIT, graceful)" check_graceful_stop "$name"
  "$DOCKER" rm -f "$name" "$RUN_ID-web-stats" "$RUN_ID-web-hello" >/dev/null
  "$DOCKER" network rm "$net" >/dev/null

  image_sizes "$image"
  echo "  size  web: $(human_mb "$SIZE_RAW") uncompressed, $(human_mb "$SIZE_GZ") compressed (nginx base, not scratch: no Node image budget)"
  # shellcheck disable=SC2154 # associative arrays of image-checks.sh, keyed by service
  SIZE_RAW_OF[web]=$SIZE_RAW SIZE_GZ_OF[web]=$SIZE_GZ
}
