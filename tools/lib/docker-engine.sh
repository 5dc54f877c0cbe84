# shellcheck shell=bash
# The Docker engine for the container tier: Debian's docker.io (tools/containers.sh), dockerd
# started here if no daemon answers (and stopped again by stop_engine). Debian's client /usr/bin/docker is used
# because it carries BuildKit; the machine's /usr/local/bin/docker (28.x) lacks buildx.

# shellcheck source=tools/lib/daemon.sh
source "$(dirname "${BASH_SOURCE[0]}")/daemon.sh"

DOCKER=/usr/bin/docker
DOCKERD_PID=""

engine_answers() { "$DOCKER" info >/dev/null 2>&1; }

start_engine() {
  if engine_answers; then
    echo "docker engine already running: $("$DOCKER" version --format '{{.Server.Version}}')"
    return 0
  fi
  echo "starting dockerd"
  setsid /usr/sbin/dockerd >"$WORK/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  await_daemon "$DOCKERD_PID" 60 "$WORK/dockerd.log" dockerd engine_answers || return 1
  echo "dockerd $("$DOCKER" version --format '{{.Server.Version}}') up"
}

stop_engine() {
  [[ -n "$DOCKERD_PID" ]] || return 0
  kill "$DOCKERD_PID" 2>/dev/null || true
  # dockerd stops its own containerd; give it time to do so cleanly
  for _ in $(seq 1 40); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.25; done
  DOCKERD_PID=""
}
