# shellcheck shell=bash
# routeguide in its container. The image check runs `all` mode; the persistence scenario then runs
# the seed's layout, server and backend as two containers of the same image, with LMDB (a native
# addon) on a named volume: what the server saved must survive a restart of the backend container.
# Wire checks use the image's own client (node /app/client.mjs in a second container) and grpcurl
# (tools/routeguide.sh, installed by tools/containers.sh). The image's build arguments
# (gRPC exposed too, /data owned by 65532 so a fresh named volume there is writable by the
# service) come from the registry.
GRPCURL=grpcurl

# Called by the tier before the image is run: ports.
routeguide_prepare() {
  RG_GRPC_PORT=$(free_port)
  RG_BACKEND_PORT=$(free_port)
  # shellcheck disable=SC2034 # read by the tier as ${svc}_run_args
  routeguide_run_args=(-e ROUTEGUIDE_MODE=all -e DATA_DIR=/tmp/lmdb
    -p "127.0.0.1:$RG_GRPC_PORT:8888" -p "127.0.0.1:$RG_BACKEND_PORT:9999")
}

rg_image() { echo "flotilla/routeguide:$IMAGE_TAG"; }

# rg_client NETWORK ADDR: the image's client CLI in its own hardened container; output in RG_OUT.
rg_client() {
  RG_OUT=$("$DOCKER" run --rm --label "org.flotilla.ci=$RUN_ID" --network "$1" "${HARDENED_RUN[@]}" \
    --entrypoint /usr/local/bin/node "$(rg_image)" /app/client.mjs --addr "$2" --timeout 5000 2>&1)
}

# rg_expect_grpc PATTERN grpcurl-args...: grpcurl's output contains PATTERN.
rg_expect_grpc() {
  local pattern=$1 out
  shift
  out=$("$GRPCURL" -plaintext -max-time 5 "$@" 2>&1 || true)
  grep -qF -- "$pattern" <<<"$out" || fail "grpcurl $*: no '$pattern' in: ${out:0:300}"
}

# rg_backend_has_feature PORT: polls the backend's ListFeatures (saves are asynchronous).
rg_backend_has_feature() {
  eventually 15 rg_expect_grpc "Statue of Liberty" -d '{}' "127.0.0.1:$1" flotilla.routeguide.backend.v1.Backend/ListFeatures
}

rg_client_all_mode() {
  rg_client "container:$RUN_ID-routeguide" 127.0.0.1:8888 || { fail "client failed: $RG_OUT"; return 1; }
  grep -q '^Found feature "Statue of Liberty' <<<"$RG_OUT" && grep -q '^Finished trip with' <<<"$RG_OUT" \
    && grep -q '^1 earlier notes received$' <<<"$RG_OUT" || fail "unexpected client output: $RG_OUT"
}

rg_health_reflection() {
  rg_expect_grpc '"status": "SERVING"' -d '{"service":"routeguide.RouteGuide"}' "127.0.0.1:$RG_GRPC_PORT" grpc.health.v1.Health/Check \
    && rg_expect_grpc '"status": "SERVING"' "127.0.0.1:$RG_BACKEND_PORT" grpc.health.v1.Health/Check \
    && rg_expect_grpc 'routeguide.RouteGuide' "127.0.0.1:$RG_GRPC_PORT" list
}

rg_invalid_argument() {
  rg_expect_grpc 'InvalidArgument' -d '{"lo":{"latitude":5},"hi":{"latitude":1}}' "127.0.0.1:$RG_GRPC_PORT" routeguide.RouteGuide/ListFeatures
}

rg_metrics() {
  http_expect 200 "$1/metrics" && body_has 'grpc_server_handled_total{grpc_service="routeguide.RouteGuide",grpc_method="GetFeature"'
}

# --- persistence: server + backend containers, LMDB on a named volume -------------------------
RG_NET="" RG_VOL="" RG_SERVER="" RG_BACKEND="" RG_BE_GRPC="" RG_BE_HTTP="" RG_SV_HTTP=""

rg_start_backend() {
  "$DOCKER" run -d --name "$RG_BACKEND" --label "org.flotilla.ci=$RUN_ID" "${HARDENED_RUN[@]}" \
    --network "$RG_NET" --network-alias routeguide-backend -v "$RG_VOL:/data" \
    -e ROUTEGUIDE_MODE=backend -e PORT=9465 -e DATA_DIR=/data \
    -p "127.0.0.1:$RG_BE_GRPC:9999" -p "127.0.0.1:$RG_BE_HTTP:9465" "$(rg_image)" >/dev/null
}

rg_pair_up() {
  RG_NET="$RUN_ID-rg" RG_VOL="$RUN_ID-rg-data" RG_SERVER="$RUN_ID-rg-server" RG_BACKEND="$RUN_ID-rg-backend"
  RG_BE_GRPC=$(free_port) RG_BE_HTTP=$(free_port) RG_SV_HTTP=$(free_port)
  "$DOCKER" network create --label "org.flotilla.ci=$RUN_ID" "$RG_NET" >/dev/null || return 1
  "$DOCKER" volume create --label "org.flotilla.ci=$RUN_ID" "$RG_VOL" >/dev/null || return 1
  rg_start_backend || return 1
  "$DOCKER" run -d --name "$RG_SERVER" --label "org.flotilla.ci=$RUN_ID" "${HARDENED_RUN[@]}" \
    --network "$RG_NET" -e ROUTEGUIDE_MODE=server -e BACKEND_ADDR=routeguide-backend:9999 \
    -p "127.0.0.1:$RG_SV_HTTP:9464" "$(rg_image)" >/dev/null || return 1
  check_healthy "$RG_BACKEND" 60 && check_healthy "$RG_SERVER" 60
}

rg_volume_owned_by_app() {
  local owner
  owner=$("$DOCKER" run --rm "${HARDENED_RUN[@]}" -v "$RG_VOL:/data" --entrypoint /usr/local/bin/node "$(rg_image)" \
    -e 'const fs = require("node:fs"); const s = fs.statSync("/data"); console.log(`${s.uid}:${s.gid} ${fs.readdirSync("/data").length > 0}`)')
  [[ "$owner" == "65532:65532 true" ]] || fail "/data on the volume: '$owner' (want 65532:65532, non-empty)"
}

rg_pair_save() {
  rg_client "$RG_NET" "$RG_SERVER:8888" || { fail "client failed: $RG_OUT"; return 1; }
  grep -q '^1 earlier notes received$' <<<"$RG_OUT" || fail "unexpected client output: $RG_OUT"
  rg_backend_has_feature "$RG_BE_GRPC"
}

rg_backend_restart() {
  check_graceful_stop "$RG_BACKEND" || return 1
  "$DOCKER" start "$RG_BACKEND" >/dev/null && check_healthy "$RG_BACKEND" 60
}

# After the restart: the feature is read back from LMDB, and the chat history too (the client's
# second run is replayed its first run's notes: 2 + 1 + 1 + 3 earlier notes).
rg_pair_read_back() {
  rg_backend_has_feature "$RG_BE_GRPC" || return 1
  local tries=0
  until rg_client "$RG_NET" "$RG_SERVER:8888"; do # the server redials the backend (backoff <= 5 s)
    ((++tries < 10)) || { fail "client failed after the restart: $RG_OUT"; return 1; }
    sleep 1
  done
  grep -q '^7 earlier notes received$' <<<"$RG_OUT" || fail "chat history not kept: $RG_OUT"
}

rg_server_counts_saves() {
  http_expect 200 "http://127.0.0.1:$RG_SV_HTTP/metrics" && body_has 'routeguide_feature_saves_total{result="saved"'
}

rg_pair_down() {
  "$DOCKER" rm -f "$RG_SERVER" "$RG_BACKEND" >/dev/null 2>&1
  "$DOCKER" volume rm "$RG_VOL" >/dev/null 2>&1
  "$DOCKER" network rm "$RG_NET" >/dev/null
}

routeguide_checks() {
  local base=$1
  check "routeguide: image's client runs the four RPCs against all mode" rg_client_all_mode
  check "routeguide: gRPC health (server, backend) and reflection via grpcurl" rg_health_reflection
  check "routeguide: inverted rectangle answers InvalidArgument" rg_invalid_argument
  check "routeguide: the served feature was stored in LMDB (backend ListFeatures)" rg_backend_has_feature "$RG_BACKEND_PORT"
  check "routeguide: gRPC metrics on /metrics" rg_metrics "$base"
  if gate "routeguide: server + backend containers (LMDB on a named volume) healthy" rg_pair_up; then
    check "routeguide: client through the server; the backend stored the feature" rg_pair_save
    check "routeguide: LMDB files on the volume, /data owned by 65532" rg_volume_owned_by_app
    check "routeguide: server counted the save in routeguide_feature_saves_total" rg_server_counts_saves
    check "routeguide: backend container stops gracefully and starts again healthy" rg_backend_restart
    check "routeguide: after the restart the feature and the chat history are read back" rg_pair_read_back
  fi
  check "routeguide: pair removed (containers, volume, network)" rg_pair_down
}
