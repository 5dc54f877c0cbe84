# shellcheck shell=bash
# compose.yaml: valid for Compose v2; the resolved model has the network layout, secrets and
# hardening ci/containers/compose-model.py asserts (and deliberately broken copies fail it); the
# app services are built and brought up from the images the tier built, reached on loopback
# (through web, as a user would), then torn down. The databases cannot run here (no registry):
# store runs with its real configuration and reports them unavailable. The app services are the
# ones compose.yaml builds (the databases are pulled images); every member of the registry must
# be one of them. Compose is the standalone docker-compose binary (tools/containers.sh).

compose() { docker-compose -f "$ROOT/compose.yaml" -p "$RUN_ID" "$@"; }
compose_ci() { compose -f "$ROOT/ci/containers/compose.no-databases.yaml" "$@"; }

check_compose_valid() {
  compose config --quiet
}

check_init_secrets() {
  bash deploy/compose/init-secrets.sh "$FLOTILLA_SECRETS_DIR" >/dev/null || return 1
  local before after
  before=$(cat "$FLOTILLA_SECRETS_DIR"/*.txt | sha256sum)
  bash deploy/compose/init-secrets.sh "$FLOTILLA_SECRETS_DIR" >/dev/null || return 1
  after=$(cat "$FLOTILLA_SECRETS_DIR"/*.txt | sha256sum)
  [[ $(find "$FLOTILLA_SECRETS_DIR" -name '*.txt' -size 32c | wc -l) == 8 ]] || fail "want 8 secrets of 32 characters"
  [[ "$before" == "$after" ]] || fail "a second run changed the secrets"
  [[ $(stat -c %a "$FLOTILLA_SECRETS_DIR") == 700 ]] || fail "secrets directory is not 0700"
}

# The model after interpolation and anchors, as Compose itself resolves it.
check_compose_model() {
  compose config --format json >"$WORK/compose.json" || return 1
  python3 ci/containers/compose-model.py "$WORK/compose.json"
}

# The same rules with the monitoring profile (Prometheus, Alertmanager, Grafana, exporters) in.
check_compose_model_monitoring() {
  compose --profile monitoring config --format json >"$WORK/compose-monitoring.json" || return 1
  python3 ci/containers/compose-services.py "$WORK/compose-monitoring.json" has \
    prometheus alertmanager grafana jaeger mysql-exporter redis-exporter mongodb-exporter || return 1
  python3 ci/containers/compose-model.py "$WORK/compose-monitoring.json"
}

# Negative controls: each file breaks one rule; the checker must reject it, naming that rule.
check_compose_model_rejects() { # broken.yaml
  local expect out
  expect=$(sed -n 's/^# expect: //p' "$1")
  [[ -n "$expect" ]] || { fail "$1 has no '# expect:' line"; return 1; }
  compose --profile monitoring -f "$1" config --format json >"$WORK/broken.json" || return 1
  if out=$(python3 ci/containers/compose-model.py "$WORK/broken.json" 2>&1); then
    fail "accepted"
    return 1
  fi
  grep -qF -- "$expect" <<<"$out" || fail "rejected, but not for '$expect': $out"
}

# The build sections for real (BuildKit through the Compose API, the build_ca secret), under a
# throwaway tag so the images the tier tested stay the ones that run: one per Dockerfile.
check_compose_build() {
  local ca=$BUILD_CA_FILE svc
  [[ -s "$ca" ]] || ca=$ROOT/deploy/docker/no-extra-ca.pem
  FLOTILLA_TAG="$IMAGE_TAG-compose" BUILD_CA_FILE="$ca" compose build hello web >"$WORK/compose-build.log" 2>&1 \
    || { tail -n 20 "$WORK/compose-build.log" >&2; return 1; }
  for svc in hello web; do
    "$DOCKER" image inspect "flotilla/$svc:$IMAGE_TAG-compose" >/dev/null || return 1
    "$DOCKER" image rm "flotilla/$svc:$IMAGE_TAG-compose" >/dev/null
  done
}

# The services compose.yaml builds, from the model Compose resolves (sets COMPOSE_APP_SERVICES).
check_compose_app_services() {
  compose config --format json >"$WORK/compose-services.json" || return 1
  mapfile -t COMPOSE_APP_SERVICES < <(python3 ci/containers/compose-services.py "$WORK/compose-services.json" built)
  local member
  for member in "${SERVICES[@]}"; do
    printf '%s\n' "${COMPOSE_APP_SERVICES[@]}" | grep -qx "$member" || fail "registry member $member has no service in compose.yaml"
  done
}

check_compose_up() {
  compose_ci up -d --wait --wait-timeout 120 --no-build --pull never "${COMPOSE_APP_SERVICES[@]}" >"$WORK/compose-up.log" 2>&1 \
    || { tail -n 20 "$WORK/compose-up.log" >&2; compose logs 2>&1 | tail -n 30 >&2; return 1; }
  local svc state
  for svc in "${COMPOSE_APP_SERVICES[@]}"; do
    state=$("$DOCKER" inspect --format '{{.State.Health.Status}}' "$RUN_ID-$svc-1")
    [[ "$state" == healthy ]] || fail "$svc: $state"
  done
}

check_compose_no_databases_started() {
  local running
  running=$(compose ps --services --status running)
  grep -qxE 'mysql|mongo|redis' <<<"$running" && fail "a database was started: $running"
  return 0
}

check_compose_hello() {
  http_expect 200 "http://127.0.0.1:$COMPOSE_HELLO_PORT/" -H 'Accept: application/json' \
    && json_eval "j['messages'] == ['compose one', 'compose two'] and j['servedBy']['image'] == 'flotilla/hello:$IMAGE_TAG'" \
    && http_expect 200 "http://127.0.0.1:$COMPOSE_HELLO_PORT/hello"
}

check_compose_web() {
  local base="http://127.0.0.1:$COMPOSE_WEB_PORT"
  http_expect 200 "$base/" && body_has '<div id="root">' || return 1
  eventually 15 http_expect 200 "$base/stats" || return 1
  json_eval '0 <= j["ram"] <= 100 and 0 <= j["cpu"] <= 100 and j["memory"]["source"].startswith("cgroup")' || return 1
  http_expect 200 "$base/hello/" -H 'Accept: application/json' && json_eval "j['messages'] == ['compose one', 'compose two']"
}

# The image's client against the published port: GetFeature reaches the server, the server
# saves to the backend over routeguide-net, RouteChat's history comes from the backend.
check_compose_routeguide() {
  local out
  out=$("$DOCKER" run --rm --label "org.flotilla.ci=$RUN_ID" --network host "${HARDENED_RUN[@]}" \
    --entrypoint /usr/local/bin/node "flotilla/routeguide:$IMAGE_TAG" /app/client.mjs \
    --addr "127.0.0.1:$COMPOSE_ROUTEGUIDE_PORT" --timeout 5000 2>&1) || { fail "client: $out"; return 1; }
  grep -q '^Found feature "Statue of Liberty' <<<"$out" && grep -q '^1 earlier notes received$' <<<"$out" \
    || fail "unexpected client output: $out"
}

# store started with every secret readable (an unreadable *_FILE is a configuration error, exit
# 78), answers what needs no database, and names the databases it cannot reach.
check_compose_store() {
  local base="http://127.0.0.1:$COMPOSE_STORE_PORT"
  http_expect 200 "$base/greeting/" && json_eval 'j == {"Greeting": "Hi Koronet Team"}' || return 1
  http_expect 503 "$base/users" && json_eval 'j == {"error": "users database unavailable"}' || return 1
  http_expect 503 "$base/readyz" && json_eval 'all(j["checks"][k] != "ok" for k in ("users", "posts", "sessions"))'
}

check_compose_backend_isolated() {
  local nets
  nets=$("$DOCKER" inspect --format '{{range $n, $_ := .NetworkSettings.Networks}}{{$n}} {{end}}' "$RUN_ID-routeguide-backend-1")
  [[ "$nets" == "${RUN_ID}_routeguide-net " ]] || fail "backend on: $nets"
  [[ $("$DOCKER" network inspect --format '{{.Internal}}' "${RUN_ID}_routeguide-net") == true ]] || fail "routeguide-net not internal"
}

check_compose_limits_applied() {
  local hc
  hc=$("$DOCKER" inspect --format '{{.HostConfig.ReadonlyRootfs}} {{.HostConfig.NanoCpus}} {{.HostConfig.Memory}} {{.HostConfig.PidsLimit}} {{.HostConfig.CapDrop}}' "$RUN_ID-hello-1")
  [[ "$hc" == "true 500000000 268435456 128 [ALL]" ]] || fail "hello HostConfig: $hc"
  hc=$("$DOCKER" inspect --format '{{.Config.User}} {{.HostConfig.ReadonlyRootfs}} {{.HostConfig.CapDrop}} {{.HostConfig.SecurityOpt}}' "$RUN_ID-web-1")
  [[ "$hc" == "101:101 true [ALL] [no-new-privileges:true]" ]] || fail "web: $hc"
}

check_compose_down() {
  compose down --volumes --timeout 30 >/dev/null 2>&1 || return 1
  local left
  left=$("$DOCKER" ps -aq --filter "label=com.docker.compose.project=$RUN_ID")
  [[ -z "$left" ]] || fail "containers left: $left"
  left=$("$DOCKER" volume ls -q --filter "label=com.docker.compose.project=$RUN_ID")
  [[ -z "$left" ]] || fail "volumes left: $left"
}

compose_checks() {
  export FLOTILLA_TAG=$IMAGE_TAG HELLO_MESSAGES='compose one|compose two'
  export FLOTILLA_SECRETS_DIR="$WORK/secrets"
  COMPOSE_HELLO_PORT=$(free_port) COMPOSE_WEB_PORT=$(free_port)
  COMPOSE_ROUTEGUIDE_PORT=$(free_port) COMPOSE_STORE_PORT=$(free_port)
  export HELLO_PORT=$COMPOSE_HELLO_PORT WEB_PORT=$COMPOSE_WEB_PORT
  export ROUTEGUIDE_PORT=$COMPOSE_ROUTEGUIDE_PORT STORE_PORT=$COMPOSE_STORE_PORT
  check "compose: init-secrets.sh writes 8 random secrets once (0700 directory)" check_init_secrets
  check "compose: compose.yaml valid (Compose $(docker-compose version --short))" check_compose_valid
  check "compose: every registry member is a service compose.yaml builds" check_compose_app_services
  check "compose: model: database networks private to store, internal, secrets only, all hardened" check_compose_model
  check "compose: model with --profile monitoring: exporters on their database's network only, all hardened" check_compose_model_monitoring
  local broken
  for broken in ci/containers/compose-broken/*.yaml; do
    check "compose: model check rejects $(basename "$broken" .yaml) (negative control)" check_compose_model_rejects "$broken"
  done
  check "compose: build hello and web from compose.yaml" check_compose_build
  if gate "compose: up --wait brings ${COMPOSE_APP_SERVICES[*]} to healthy" check_compose_up; then
    check "compose: no database container started (none can be pulled here)" check_compose_no_databases_started
    check "compose: limits, read-only root, users applied to the containers" check_compose_limits_applied
    check "compose: hello answers on 127.0.0.1:$COMPOSE_HELLO_PORT with the compose MESSAGES" check_compose_hello
    check "compose: web on 127.0.0.1:$COMPOSE_WEB_PORT serves the dashboard, /stats and /hello/" check_compose_web
    check "compose: routeguide client via 127.0.0.1:$COMPOSE_ROUTEGUIDE_PORT; server saves through the backend" check_compose_routeguide
    check "compose: routeguide-backend only on the internal routeguide-net" check_compose_backend_isolated
    check "compose: store reads its secrets, greets, names the unreachable databases (503)" check_compose_store
  fi
  check "compose: down removes the project (containers, volumes)" check_compose_down
}
