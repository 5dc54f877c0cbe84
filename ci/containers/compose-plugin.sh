# shellcheck shell=bash
# Docker Compose v2 as a CLI plugin, built from its Go module (the machine has no compose plugin
# and no way to download release binaries). `go install module@version` refuses compose because
# its go.mod has exclude directives, so the module source is fetched from the Go module proxy
# and built as the main module, with the ldflags of compose's own Makefile.

COMPOSE_VERSION=v2.40.3
COMPOSE_PLUGIN=${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins/docker-compose

compose_plugin_ok() {
  [[ -x "$COMPOSE_PLUGIN" ]] && [[ "$("$COMPOSE_PLUGIN" version --short 2>/dev/null)" == "${COMPOSE_VERSION#v}" ]]
}

# build_compose_plugin LOGFILE: idempotent; slow (~3-6 min of CPU) only the first time on a machine.
build_compose_plugin() {
  local log=$1
  compose_plugin_ok && return 0
  export PATH="$PATH:/usr/local/go/bin"
  command -v go >/dev/null || { echo "go is required to build docker compose (Go module proxy)" >&2; return 1; }
  local dir src
  dir=$(GOFLAGS=-mod=mod go mod download -json "github.com/docker/compose/v2@$COMPOSE_VERSION" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])') || return 1
  src=$(mktemp -d /tmp/compose-src.XXXXXX)
  cp -r "$dir/." "$src" && chmod -R u+w "$src"
  (cd "$src" && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-buildvcs=false go build -trimpath \
    -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$COMPOSE_VERSION" \
    -o "$src/docker-compose" ./cmd) >"$log" 2>&1 || { tail -n 20 "$log" >&2; rm -rf "$src"; return 1; }
  install -D -m 0755 "$src/docker-compose" "$COMPOSE_PLUGIN"
  rm -rf "$src"
  compose_plugin_ok
}
