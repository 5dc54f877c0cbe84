# shellcheck shell=bash
# Checks every service image must pass, whatever the service: the hardened configuration,
# the scratch filesystem, privileges of the running process, the Docker health check,
# graceful stop and size. Service-specific HTTP checks live in service-<name>.sh.

# shellcheck disable=SC2054 # the commas are tmpfs mount options
HARDENED_RUN=(--read-only --tmpfs /tmp:rw,noexec,nosuid,size=64m --cap-drop ALL --security-opt no-new-privileges)
declare -A SIZE_RAW_OF=() SIZE_GZ_OF=() # per service, for the naive comparison

cfg() { "$DOCKER" image inspect "$1" --format "$2"; }

check_config_user() {
  local user
  user=$(cfg "$1" '{{.Config.User}}')
  [[ "$user" == "65532:65532" ]] || fail "Config.User is '$user'"
}

check_config_exec_forms() {
  local ep hc
  ep=$(cfg "$1" '{{json .Config.Entrypoint}}')
  hc=$(cfg "$1" '{{json .Config.Healthcheck.Test}}')
  [[ "$ep" == '["/usr/local/bin/node","/app/main.mjs"]' ]] || fail "Entrypoint is $ep"
  [[ "$hc" == '["CMD","/usr/local/bin/node","/app/healthcheck.mjs"]' ]] || fail "Healthcheck is $hc (the shell form needs /bin/sh)"
}

check_config_env_port() { # image port [exposed: "8888/tcp 9464/tcp ", when more than port]
  local env ports want=${3:-$2/tcp }
  env=$(cfg "$1" '{{json .Config.Env}}')
  ports=$(cfg "$1" '{{range $p, $_ := .Config.ExposedPorts}}{{$p}} {{end}}')
  grep -q '"NODE_ENV=production"' <<<"$env" || fail "NODE_ENV=production missing from $env"
  grep -q "\"PORT=$2\"" <<<"$env" || fail "PORT=$2 missing from $env"
  [[ "$ports" == "$want" ]] || fail "exposed ports '$ports', want '$want'"
  local p
  for p in $ports; do ((${p%/tcp} > 1024)) || fail "port $p is privileged"; done
}

check_config_labels() { # image revision
  local key value
  for key in source revision version created title licenses; do
    value=$(cfg "$1" "{{index .Config.Labels \"org.opencontainers.image.$key\"}}")
    [[ -n "$value" ]] || fail "label org.opencontainers.image.$key is empty"
  done
  value=$(cfg "$1" '{{index .Config.Labels "org.opencontainers.image.revision"}}')
  [[ "$value" == "$2" ]] || fail "revision label '$value', want '$2'"
}

# export_files IMAGE OUT: the image's file list (tar -tv of a created, never started, container).
export_files() {
  local cid
  cid=$("$DOCKER" create "$1")
  "$DOCKER" export "$cid" | tar -tvf - >"$2"
  "$DOCKER" rm "$cid" >/dev/null
}

check_no_shell_no_package_manager() {
  local bad
  bad=$(awk '{print $6}' "$1" | grep -E '(^|/)(sh|bash|dash|ash|busybox|zsh|apt|apt-get|dpkg|npm|npx|yarn|corepack|curl|wget)$|(^|/)(var/lib/dpkg|usr/local/lib/node_modules)/' || true)
  [[ -z "$bad" ]] || fail "found: $(tr '\n' ' ' <<<"$bad")"
}

# Every regular file outside /app must be node, a shared library, the CA bundle, passwd/group
# or one of the empty files Docker itself creates in every container.
check_only_expected_files() {
  local unexpected
  unexpected=$(awk '$1 ~ /^-/ {print $6}' "$1" | grep -vE '^app/' \
    | grep -vxE 'usr/local/bin/node|lib(64)?/([a-z0-9_-]+/)?(ld-linux[a-z0-9_-]*|lib[a-z0-9_+-]+)\.so(\.[0-9]+)*|etc/ssl/certs/ca-certificates\.crt|etc/(passwd|group)|\.dockerenv|etc/(hostname|hosts|resolv\.conf)|dev/console' || true)
  [[ -z "$unexpected" ]] || fail "unexpected files: $(tr '\n' ' ' <<<"$unexpected")"
  grep -qE '^drwxrwxrwt .* tmp/$' "$1" || fail "/tmp is not mode 1777"
}

check_passwd() {
  local cid passwd
  cid=$("$DOCKER" create "$1")
  passwd=$("$DOCKER" cp "$cid:/etc/passwd" - | tar -xOf -)
  "$DOCKER" rm "$cid" >/dev/null
  grep -qx 'app:x:65532:65532:app:/nonexistent:/sbin/nologin' <<<"$passwd" || fail "no nologin app user 65532 in: $passwd"
}

check_shell_entrypoint_fails() {
  if "$DOCKER" run --rm --entrypoint /bin/sh "$1" -c 'echo shell' >"$WORK/sh.out" 2>&1; then
    fail "/bin/sh ran: $(cat "$WORK/sh.out")"
  fi
  grep -qiE 'no such file|not found' "$WORK/sh.out" || fail "unexpected error: $(cat "$WORK/sh.out")"
}

# node is the only program in the image, so it is the probe (readonly-probe.cjs, on its stdin): as
# the image's user, with the hardened flags, writing the root filesystem must fail (EROFS) and
# writing /tmp must work.
check_readonly_rootfs_writable_tmp() {
  "$DOCKER" run --rm -i "${HARDENED_RUN[@]}" --entrypoint /usr/local/bin/node "$1" - <"$ROOT/ci/containers/readonly-probe.cjs" ||
    fail "root fs writable, /tmp not writable, or not uid/gid 65532"
}

check_process_identity() { # container
  local pid status
  pid=$("$DOCKER" inspect --format '{{.State.Pid}}' "$1")
  status=$(cat "/proc/$pid/status") || return 1
  grep -qE '^Uid:\s+65532\s+65532\s+65532\s+65532$' <<<"$status" || fail "$(grep ^Uid <<<"$status")"
  grep -qE '^Gid:\s+65532\s+65532\s+65532\s+65532$' <<<"$status" || fail "$(grep ^Gid <<<"$status")"
  grep -qE '^CapEff:\s+0+$' <<<"$status" || fail "$(grep ^CapEff <<<"$status")"
  grep -qE '^CapBnd:\s+0+$' <<<"$status" || fail "$(grep ^CapBnd <<<"$status")"
  grep -qE '^NoNewPrivs:\s+1$' <<<"$status" || fail "$(grep ^NoNewPrivs <<<"$status")"
}

check_healthy() { # container timeout
  local deadline=$((SECONDS + $2)) state
  while :; do
    state=$("$DOCKER" inspect --format '{{.State.Health.Status}}' "$1")
    [[ "$state" == healthy ]] && return 0
    ((SECONDS < deadline)) || { fail "health status '$state' after $2 s"; return 1; }
    sleep 1
  done
}

check_graceful_stop() { # container
  local t0=$SECONDS code
  "$DOCKER" stop -t 30 "$1" >/dev/null
  code=$("$DOCKER" inspect --format '{{.State.ExitCode}}' "$1")
  [[ "$code" == 0 ]] || fail "exit code $code after SIGTERM (137 = killed at the timeout)"
  echo "        stopped in $((SECONDS - t0)) s"
}

# image_sizes IMAGE: sets SIZE_RAW and SIZE_GZ (bytes; gzip of `docker save`, what a registry stores).
image_sizes() {
  SIZE_RAW=$(cfg "$1" '{{.Size}}')
  SIZE_GZ=$("$DOCKER" save "$1" | gzip -c | wc -c)
}

# check_size_budget SVC: the image's sizes against its budget in the registry (image.budget, MB =
# 10^6 bytes; images on the shared Node Dockerfile default to NODE_IMAGE_BUDGET in registry.ts).
check_size_budget() {
  local raw gz
  raw=$(registry get "$1" image.budget.rawMB) && gz=$(registry get "$1" image.budget.gzipMB) || return 1
  ((SIZE_RAW <= raw * 1000 * 1000)) || fail "uncompressed $(human_mb "$SIZE_RAW") > budget $raw MB"
  ((SIZE_GZ <= gz * 1000 * 1000)) || fail "compressed $(human_mb "$SIZE_GZ") > budget $gz MB"
}

# compile_cache_log IMAGE USER: the compile cache's debug lines of a start of IMAGE as USER (in
# CC_LOG): Node prints whether the V8 code cache the build made for /app/main.mjs was accepted.
compile_cache_log() {
  local cid
  cid=$("$DOCKER" run -d --label "org.flotilla.ci=$RUN_ID" "${HARDENED_RUN[@]}" --user "$2" \
    -e NODE_DEBUG_NATIVE=COMPILE_CACHE "$1") || return 1
  for _ in $(seq 1 40); do
    CC_LOG=$("$DOCKER" logs "$cid" 2>&1 | grep '^\[compile cache\]' || true)
    grep -qE 'for ESM file:///app/main.mjs was|Cannot create cache directory' <<<"$CC_LOG" && break
    sleep 0.5
  done
  "$DOCKER" rm -f "$cid" >/dev/null
}

check_compile_cache_accepted() {
  compile_cache_log "$1" 65532:65532 || return 1
  grep -q 'V8 code cache for ESM file:///app/main.mjs was accepted' <<<"$CC_LOG" || fail "not accepted: ${CC_LOG:-no compile cache lines}"
}

# The cache is keyed by uid: another user's start finds none (the check above can fail).
check_compile_cache_other_user() {
  compile_cache_log "$1" 65533:65533 || return 1
  [[ -n "$CC_LOG" ]] || fail "no compile cache lines"
  ! grep -q 'was accepted' <<<"$CC_LOG" || fail "a cache was accepted for uid 65533: $CC_LOG"
}

# image_checks SERVICE IMAGE PORT REVISION EXPOSED: every generic check, then the service's own
# ${SERVICE}_checks (when its service-<name>.sh has them) against the hardened container on a
# loopback port. EXPOSED: every port the image exposes ("8888/tcp 9464/tcp ").
image_checks() {
  local svc=$1 image=$2 port=$3 revision=$4 exposed=$5
  local name="$RUN_ID-$svc" host_port files="$WORK/$svc.files" run_args=()
  if declare -p "${svc}_run_args" >/dev/null 2>&1; then
    local -n svc_run_args="${svc}_run_args"
    run_args=("${svc_run_args[@]}")
  fi

  check "$svc: image runs as 65532:65532" check_config_user "$image"
  check "$svc: exec-form ENTRYPOINT and HEALTHCHECK" check_config_exec_forms "$image"
  check "$svc: NODE_ENV=production, PORT=$port, EXPOSE $exposed(unprivileged)" \
    check_config_env_port "$image" "$port" "$exposed"
  check "$svc: OCI labels set" check_config_labels "$image" "$revision"
  export_files "$image" "$files"
  check "$svc: no shell, no package manager in the filesystem" check_no_shell_no_package_manager "$files"
  check "$svc: only node, its libraries, CA bundle, passwd/group, /tmp (1777), /app" check_only_expected_files "$files"
  check "$svc: /etc/passwd names app 65532 without a login shell" check_passwd "$image"
  check "$svc: docker run --entrypoint /bin/sh fails" check_shell_entrypoint_fails "$image"
  check "$svc: read-only root fs, writable /tmp, as 65532" check_readonly_rootfs_writable_tmp "$image"

  host_port=$(free_port)
  "$DOCKER" run -d --name "$name" --label "org.flotilla.ci=$RUN_ID" "${HARDENED_RUN[@]}" \
    -p "127.0.0.1:$host_port:$port" "${run_args[@]}" "$image" >/dev/null
  if ! gate "$svc: serves on 127.0.0.1:$host_port within 30 s" wait_http "http://127.0.0.1:$host_port/healthz" 30; then
    "$DOCKER" logs "$name" 2>&1 | tail -n 20 >&2
  fi
  check "$svc: process uid/gid 65532, no capabilities, no_new_privs" check_process_identity "$name"
  check "$svc: the image's compile cache is accepted at start" check_compile_cache_accepted "$image"
  check "$svc: started as another uid, it finds no cache (negative control)" check_compile_cache_other_user "$image"
  if declare -F "${svc}_checks" >/dev/null; then "${svc}_checks" "http://127.0.0.1:$host_port"; fi
  check "$svc: Docker health check turns healthy" check_healthy "$name" 60
  check "$svc: docker stop exits 0 (graceful SIGTERM)" check_graceful_stop "$name"
  "$DOCKER" rm -f "$name" >/dev/null

  image_sizes "$image"
  echo "  size  $svc: $(human_mb "$SIZE_RAW") uncompressed, $(human_mb "$SIZE_GZ") compressed"
  check "$svc: within its size budget ($(registry get "$svc" image.budget.rawMB) MB, $(registry get "$svc" image.budget.gzipMB) MB compressed)" check_size_budget "$svc"
  # shellcheck disable=SC2034 # read by naive-checks.sh
  SIZE_RAW_OF[$svc]=$SIZE_RAW SIZE_GZ_OF[$svc]=$SIZE_GZ
}
