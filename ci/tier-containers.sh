#!/usr/bin/env bash
# Tier containers: the real Dockerfiles built by a real Docker engine and the images run with
# the hardened flags. Installs Debian's docker.io and starts dockerd if needed, builds the
# stand-in base images (no registry here: deploy/docker/base/), builds every service image in
# SERVICES, checks it (ci/containers/image-checks.sh + service-<name>.sh), validates the compose
# model (networks, secrets, hardening; ci/containers/compose-model.py, with negative controls),
# brings the app services up with compose.yaml, and measures against a naive single-stage image.
# Prints `tier containers: N passed, M failed`; exits non-zero on any failure.
#
# The services come from the registry (scripts/registry.ts: every package.json with a "flotilla"
# manifest; services/ before apps/, so web's checks find the hello and stats images built).
# A new service joins with its manifest and a ci/containers/service-<name>.sh
# defining <name>_port, <name>_run_args and <name>_checks. Optional: <name>_build_args (array),
# <name>_exposed (all exposed ports), <name>_prepare (run before the build), <name>_dir (if not
# services/<name>), <name>_dockerfile (if not node-service.Dockerfile) and <name>_image_checks
# (replaces image-checks.sh's, for an image that is not a scratch Node image).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

mapfile -t SERVICES < <(node_modules/.bin/node scripts/registry.ts names)
((${#SERVICES[@]} > 0)) || { echo "tier containers: the registry lists no service (npm ci first?)" >&2; exit 1; }
IMAGE_TAG=ci
RUN_ID="flotilla-ci-$$"
WORK=$(mktemp -d /tmp/tier-containers.XXXXXX)
COMPOSE_BUILD_PID=""

source ci/containers/lib.sh
source ci/containers/engine.sh
source ci/containers/compose-plugin.sh
source ci/containers/image-checks.sh
source ci/containers/compose-checks.sh
source ci/containers/naive-checks.sh
# shellcheck source=/dev/null
for svc in "${SERVICES[@]}"; do source "ci/containers/service-$svc.sh"; done

cleanup() {
  set +e
  [[ -n "$COMPOSE_BUILD_PID" ]] && kill "$COMPOSE_BUILD_PID" 2>/dev/null
  if "$DOCKER" info >/dev/null 2>&1; then
    "$DOCKER" compose -f "$ROOT/compose.yaml" -p "$RUN_ID" down --volumes --timeout 5 >/dev/null 2>&1
    local ids
    mapfile -t ids < <("$DOCKER" ps -aq --filter "label=org.flotilla.ci=$RUN_ID")
    ((${#ids[@]} == 0)) || "$DOCKER" rm -f "${ids[@]}" >/dev/null 2>&1
    mapfile -t ids < <("$DOCKER" network ls -q --filter "label=org.flotilla.ci=$RUN_ID")
    ((${#ids[@]} == 0)) || "$DOCKER" network rm "${ids[@]}" >/dev/null 2>&1
    mapfile -t ids < <("$DOCKER" volume ls -q --filter "label=org.flotilla.ci=$RUN_ID")
    ((${#ids[@]} == 0)) || "$DOCKER" volume rm "${ids[@]}" >/dev/null 2>&1
  fi
  stop_engine
  rm -rf "$WORK"
}
trap cleanup EXIT

phase_t0=$SECONDS
phase() { echo "--- $1 (t=$((SECONDS - phase_t0)) s)"; }

# BuildKit throughout (cache and secret mounts). A TLS-intercepting proxy's CA reaches
# `npm ci` as a build secret, never a layer: the host's trust store, where there is one.
BUILD_CA_FILE=${BUILD_CA_FILE:-/etc/ssl/certs/ca-certificates.crt}
docker_build() {
  local secret=()
  [[ -s "$BUILD_CA_FILE" ]] && secret=(--secret "id=build_ca,src=$BUILD_CA_FILE")
  DOCKER_BUILDKIT=1 "$DOCKER" build --progress=plain "${secret[@]}" "$@"
}

phase "engine"
ensure_engine_packages
start_engine
# Compose is compiled in the background (CPU) while the bases build (network, disk).
build_compose_plugin "$WORK/compose-build.log" &
COMPOSE_BUILD_PID=$!

phase "stand-in base images"
node_version=$(sed -n 's/^ *"node": *"\([0-9][0-9.]*\)".*/\1/p' package.json | head -n1)
check_builder_pin() {
  local pinned
  pinned=$(sed -n 's/^ARG BUILDER_IMAGE=\([^@]*\).*/\1/p' deploy/docker/node-service.Dockerfile deploy/docker/naive.Dockerfile deploy/docker/web.Dockerfile | sort -u)
  [[ "$pinned" == "node:$node_version-bookworm-slim" ]] || fail "Dockerfiles pin '$pinned', package.json has node $node_version"
}
check "Dockerfiles pin the builder to the package.json node ($node_version)" check_builder_pin
check "stand-in base node:$node_version-bookworm-slim available" bash deploy/docker/base/build-standin-bases.sh

revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
created=$(date -u +%Y-%m-%dT%H:%M:%SZ)
build_service_image() { # service dockerfile port version [extra build args...]
  local svc=$1 dockerfile=$2 port=$3 version=$4
  shift 4
  "$DOCKER" image rm -f "flotilla/$svc:$IMAGE_TAG" >/dev/null 2>&1 || true # never test a stale image
  docker_build -f "$dockerfile" --build-arg SERVICE="$svc" --build-arg PORT="$port" --build-arg VERSION="$version" \
    --build-arg REVISION="$revision" --build-arg CREATED="$created" "$@" \
    -t "flotilla/$svc:$IMAGE_TAG" . >"$WORK/build-$svc.log" 2>&1 && return 0
  # the first errors (npm prints its usage after them), then the end of the log
  grep -E 'npm error (code|[A-Z`])|ERROR' "$WORK/build-$svc.log" | head -n 20 >&2
  tail -n 5 "$WORK/build-$svc.log" >&2
  return 1
}

for svc in "${SERVICES[@]}"; do
  phase "image $svc"
  port_var="${svc}_port"
  dockerfile_var="${svc}_dockerfile"
  dir_var="${svc}_dir"
  build_args=()
  if declare -p "${svc}_build_args" >/dev/null 2>&1; then
    declare -n svc_build_args="${svc}_build_args"
    build_args=("${svc_build_args[@]}")
    unset -n svc_build_args
  fi
  if declare -F "${svc}_prepare" >/dev/null; then "${svc}_prepare"; fi
  version=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "${!dir_var:-services/$svc}/package.json" | head -n1)
  t0=$SECONDS
  if gate "$svc: image builds" build_service_image "$svc" \
    "${!dockerfile_var:-deploy/docker/node-service.Dockerfile}" "${!port_var}" "$version" "${build_args[@]}"; then
    echo "        built in $((SECONDS - t0)) s"
    checks_fn=image_checks
    if declare -F "${svc}_image_checks" >/dev/null; then checks_fn="${svc}_image_checks"; fi
    "$checks_fn" "$svc" "flotilla/$svc:$IMAGE_TAG" "${!port_var}" "$revision"
  fi
done

phase "naive single-stage image"
[[ -n "${SIZE_GZ_OF[hello]:-}" ]] && naive_checks

phase "compose"
if gate "compose: Docker Compose $COMPOSE_VERSION plugin built" wait "$COMPOSE_BUILD_PID"; then
  COMPOSE_BUILD_PID=""
  compose_checks
fi
COMPOSE_BUILD_PID=""

phase "done"
echo "tier containers: $PASSED passed, $FAILED failed"
((FAILED == 0))
