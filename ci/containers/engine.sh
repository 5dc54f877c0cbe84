# shellcheck shell=bash
# The Docker engine for the container tier: Debian's docker.io (ci/tools/containers.sh), dockerd
# started here if no daemon answers (and stopped again by stop_engine). Debian's client /usr/bin/docker is used
# because it carries BuildKit; the machine's /usr/local/bin/docker (28.x) lacks buildx.

DOCKER=/usr/bin/docker
DOCKERD_PID=""

start_engine() {
  if "$DOCKER" info >/dev/null 2>&1; then
    echo "docker engine already running: $("$DOCKER" version --format '{{.Server.Version}}')"
    return 0
  fi
  echo "starting dockerd"
  setsid /usr/sbin/dockerd >"$WORK/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  local deadline=$((SECONDS + 60))
  until "$DOCKER" info >/dev/null 2>&1; do
    if ((SECONDS > deadline)) || ! kill -0 "$DOCKERD_PID" 2>/dev/null; then
      tail -n 20 "$WORK/dockerd.log" >&2
      echo "dockerd did not come up" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "dockerd $("$DOCKER" version --format '{{.Server.Version}}') up"
}

stop_engine() {
  [[ -n "$DOCKERD_PID" ]] || return 0
  kill "$DOCKERD_PID" 2>/dev/null || true
  # dockerd stops its own containerd; give it time to do so cleanly
  for _ in $(seq 1 40); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.25; done
  DOCKERD_PID=""
}
