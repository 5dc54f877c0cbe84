#!/usr/bin/env bash
# Tier containers: the real Dockerfiles built by a real Docker engine and the images run with
# the hardened flags. Installs Debian's docker.io and starts dockerd if needed, builds the
# stand-in base images (no registry here: deploy/docker/base/), builds every service image in
# SERVICES, checks it (ci/containers/image-checks.sh + service-<name>.sh), validates the compose
# model (networks, secrets, hardening; ci/containers/compose-model.py, with negative controls),
# brings the app services up with compose.yaml, and measures against a naive single-stage image.
# Prints `tier containers: N passed, M failed`; exits non-zero on any failure.
#
# A new service joins by adding its name to SERVICES and a ci/containers/service-<name>.sh
# defining <name>_port, <name>_run_args and <name>_checks. Optional: <name>_exposed (all exposed
# ports), <name>_prepare (run before the build) and <name>_image_checks (replaces
# image-checks.sh's, for an image that is not a scratch Node image). How the image is built
# (Dockerfile, port, build arguments) is the registry's "image" block, read by ci/lib/images.sh,
# the recipe the pipeline's build-images step uses too.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# hello and stats before web: web's checks run behind their images.
SERVICES=(hello stats web routeguide store)
IMAGE_TAG=ci
RUN_ID="flotilla-ci-$$"
WORK=$(mktemp -d /tmp/tier-containers.XXXXXX)
COMPOSE_BUILD_PID=""

source ci/containers/lib.sh
source ci/containers/engine.sh
source ci/lib/images.sh
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

for svc in "${SERVICES[@]}"; do
  phase "image $svc"
  port_var="${svc}_port"
  if declare -F "${svc}_prepare" >/dev/null; then "${svc}_prepare"; fi
  version=$("$NODE" scripts/registry.ts get "$svc" version)
  t0=$SECONDS
  IMAGE_BUILD_LOG="$WORK/build-$svc.log"
  if gate "$svc: image builds" image_build "$svc" "$version" "$revision" "flotilla/$svc:$IMAGE_TAG"; then
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
