#!/usr/bin/env bash
# Tools of tier containers, once per machine (tools/lib/tools.sh): Debian's docker.io (engine and
# the BuildKit-capable client) and debootstrap for the stand-in bases; Docker Compose v2 built
# from its Go module (no release binaries reachable; `go install` refuses compose because its
# go.mod has exclude directives, hence go_module_build, with the ldflags of compose's Makefile);
# grpcurl for the routeguide image's wire checks (the same spec as tier routeguide's).
# Compose runs as a standalone binary (docker-compose), so no CLI plugin directory is touched.

COMPOSE_VERSION=v2.40.3

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  cd "$(dirname "$0")/.."
  source tools/lib/tools.sh
  source tools/routeguide.sh
  apt_need docker.io debootstrap curl python3 ca-certificates
  go_module_build docker-compose github.com/docker/compose/v2 "$COMPOSE_VERSION" ./cmd \
    -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$COMPOSE_VERSION"
  install_grpcurl
fi
