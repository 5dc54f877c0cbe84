# shellcheck shell=bash
# compose.yaml: valid for Compose v2, every service hardened as the rendered model says, and
# hello really brought up from the image the tier built, reached on loopback, then torn down.

compose() { "$DOCKER" compose -f "$ROOT/compose.yaml" -p "$RUN_ID" "$@"; }

check_compose_valid() {
  compose config --quiet
}

# The model after interpolation and anchors, as Compose itself resolves it.
check_compose_hardened() {
  compose config --format json >"$WORK/compose.json" || return 1
  python3 - "$WORK/compose.json" <<'PY' || return 1
import json, sys
model = json.load(open(sys.argv[1]))
problems = []
for name, s in model["services"].items():
    need = {
        "read_only": s.get("read_only") is True,
        "tmpfs /tmp": any(t.split(":")[0] == "/tmp" for t in s.get("tmpfs", [])),
        "cap_drop ALL": s.get("cap_drop") == ["ALL"],
        "no-new-privileges": "no-new-privileges:true" in s.get("security_opt", []),
        "user 65532": s.get("user") == "65532:65532",
        "exec-form healthcheck": (s.get("healthcheck", {}).get("test") or [""])[0] == "CMD",
        "cpu+memory limits": {"cpus", "memory"} <= set(s.get("deploy", {}).get("resources", {}).get("limits", {})),
        "pids limit": (s.get("pids_limit") or s.get("deploy", {}).get("resources", {}).get("limits", {}).get("pids") or 0) > 0,
        "restart unless-stopped": s.get("restart") == "unless-stopped",
        "ports on 127.0.0.1": all(p.get("host_ip") == "127.0.0.1" for p in s.get("ports", [])),
    }
    problems += [f"{name}: {k}" for k, ok in need.items() if not ok]
if problems:
    print("        not hardened: " + ", ".join(problems), file=sys.stderr)
    sys.exit(1)
PY
}

# The build section for real (BuildKit through the Compose API, the build_ca secret), under a
# throwaway tag so the image the tier tested stays the one that runs.
check_compose_build() {
  local ca=$BUILD_CA_FILE
  [[ -s "$ca" ]] || ca=$ROOT/deploy/docker/no-extra-ca.pem
  FLOTILLA_TAG="$IMAGE_TAG-compose" BUILD_CA_FILE="$ca" compose build hello >"$WORK/compose-build.log" 2>&1 \
    || { tail -n 20 "$WORK/compose-build.log" >&2; return 1; }
  "$DOCKER" image inspect "flotilla/hello:$IMAGE_TAG-compose" >/dev/null || return 1
  "$DOCKER" image rm "flotilla/hello:$IMAGE_TAG-compose" >/dev/null
}

check_compose_up() {
  compose up -d --wait --no-build --pull never hello >"$WORK/compose-up.log" 2>&1 \
    || { tail -n 20 "$WORK/compose-up.log" >&2; compose logs hello 2>&1 | tail -n 20 >&2; return 1; }
  [[ "$("$DOCKER" inspect --format '{{.State.Health.Status}}' "$RUN_ID-hello-1")" == healthy ]] || fail "not healthy"
}

check_compose_serves() {
  http_expect 200 "http://127.0.0.1:$COMPOSE_HELLO_PORT/" -H 'Accept: application/json' \
    && json_eval "j['messages'] == ['compose one', 'compose two'] and j['servedBy']['image'] == 'flotilla/hello:$IMAGE_TAG'" \
    && http_expect 200 "http://127.0.0.1:$COMPOSE_HELLO_PORT/hello"
}

check_compose_limits_applied() {
  local hc
  hc=$("$DOCKER" inspect --format '{{.HostConfig.ReadonlyRootfs}} {{.HostConfig.NanoCpus}} {{.HostConfig.Memory}} {{.HostConfig.PidsLimit}} {{.HostConfig.CapDrop}}' "$RUN_ID-hello-1")
  [[ "$hc" == "true 500000000 268435456 128 [ALL]" ]] || fail "HostConfig: $hc"
}

check_compose_down() {
  compose down --volumes --timeout 30 >/dev/null 2>&1 || return 1
  local left
  left=$("$DOCKER" ps -aq --filter "label=com.docker.compose.project=$RUN_ID")
  [[ -z "$left" ]] || fail "containers left: $left"
}

compose_checks() {
  export FLOTILLA_TAG=$IMAGE_TAG HELLO_MESSAGES='compose one|compose two'
  COMPOSE_HELLO_PORT=$(free_port)
  export HELLO_PORT=$COMPOSE_HELLO_PORT
  check "compose: compose.yaml valid (Compose $("$DOCKER" compose version --short))" check_compose_valid
  check "compose: every service hardened in the resolved model" check_compose_hardened
  check "compose: build hello from compose.yaml" check_compose_build
  check "compose: up --wait brings hello to healthy from the built image" check_compose_up
  check "compose: limits and read-only root applied to the container" check_compose_limits_applied
  check "compose: hello answers on 127.0.0.1:$COMPOSE_HELLO_PORT with the compose MESSAGES" check_compose_serves
  check "compose: down removes the project" check_compose_down
}
