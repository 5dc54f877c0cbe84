#!/usr/bin/env bash
# Tier containers: the real Dockerfiles built by a real Docker engine and the images run with
# the hardened flags. Tools: tools/containers.sh (docker.io, debootstrap, Compose, grpcurl);
# starts dockerd if none answers, builds the stand-in base images (no registry here:
# deploy/docker/base/), builds every member's image with `npm run images`, checks it (ci/containers/image-checks.sh +
# service-<name>.sh), validates the compose model (networks, secrets, hardening;
# ci/containers/compose-model.py, with negative controls), brings the app services up with
# compose.yaml, and measures against a naive single-stage image. Runs on the one harness.
#
# The services, their Dockerfile, build arguments and HTTP port come from the registry
# (scripts/registry.ts; services/ before apps/, so web's checks find the hello and stats images
# built). A ci/containers/service-<name>.sh may add <name>_run_args, <name>_checks (HTTP checks
# against the running container), <name>_prepare (before the build) and <name>_image_checks
# (replaces image-checks.sh's, for an image that is not a scratch Node image).
# Prints the phase timeline and `tier containers: N passed, M failed` (tier_end, ci/lib/harness.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

source ci/lib/harness.sh
source tools/lib/tools.sh
tier_begin containers
[[ -x node_modules/.bin/node ]] || npm ci --no-audit --no-fund
registry() { node_modules/.bin/node scripts/registry.ts "$@"; }
mapfile -t SERVICES < <(registry names)
IMAGE_TAG=${IMAGE_TAG:-ci} # e.g. a worktree's own tag, so its run never replaces the :ci images
RUN_ID=${RUN_ID:-flotilla-ci-$$}
WORK=$(mktemp -d /tmp/tier-containers.XXXXXX)

source ci/containers/http-checks.sh
source tools/lib/docker-engine.sh
source ci/containers/image-checks.sh
source ci/containers/compose-checks.sh
source ci/containers/naive-checks.sh
source tools/containers.sh # COMPOSE_VERSION
# shellcheck source=/dev/null
for svc in "${SERVICES[@]}"; do
  if [[ -f "ci/containers/service-$svc.sh" ]]; then source "ci/containers/service-$svc.sh"; fi
done

cleanup() {
  set +e
  if "$DOCKER" info >/dev/null 2>&1; then
    docker-compose -f "$ROOT/compose.yaml" -p "$RUN_ID" down --volumes --timeout 5 >/dev/null 2>&1
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

# The image recipe (BuildKit, the build CA as a secret, the registry's Dockerfile and build
# arguments, OCI labels) is pipeline/lib-images.sh, shared with the pipeline's build-images step
# and npm run images (scripts/images.sh), which builds the fleet's images here; the naive image
# uses its docker_build.
source pipeline/lib-images.sh

phase "tools and engine"
require "docker.io, debootstrap, Compose $COMPOSE_VERSION, grpcurl (tools/containers.sh)" bash tools/containers.sh
require "a Docker engine answers" start_engine

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
  port=$(registry get "$svc" httpPort)
  exposed="$port/tcp "
  while IFS='=' read -r key value; do
    if [[ "$key" == EXPOSE_ALSO ]]; then exposed=$(printf '%s/tcp\n' "$port" $value | sort | tr '\n' ' '); fi
  done < <(registry build-args "$svc")
  if declare -F "${svc}_prepare" >/dev/null; then "${svc}_prepare"; fi
  t0=$SECONDS
  # the product's command (npm run images), one service at a time so each gets its own gate and
  # checks; on failure it prints the build's first errors and the end of its log
  if gate "$svc: image builds (npm run images -- $svc)" env FLOTILLA_IMAGE_TAG="$IMAGE_TAG" bash scripts/images.sh "$svc"; then
    echo "        built in $((SECONDS - t0)) s"
    checks_fn=image_checks
    if declare -F "${svc}_image_checks" >/dev/null; then checks_fn="${svc}_image_checks"; fi
    "$checks_fn" "$svc" "flotilla/$svc:$IMAGE_TAG" "$port" "$revision" "$exposed"
  fi
done

phase "naive single-stage image"
[[ -n "${SIZE_GZ_OF[hello]:-}" ]] && naive_checks

phase "compose"
compose_checks
tier_end
