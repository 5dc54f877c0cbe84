#!/usr/bin/env bash
# npm run images [-- [--standin-bases] SERVICE...]: builds the fleet's container images (every
# service in the registry, or the ones named) into the local Docker engine as
# flotilla/<service>:$FLOTILLA_IMAGE_TAG (default `local`), with the same recipe the pipeline's
# build-images step and the CI tiers use (pipeline/lib-images.sh). `npm run cluster -- load-images`
# then copies them into the local cluster.
#   --standin-bases   first build the stand-in base images from Debian packages and the Node.js
#                     binary on npm (deploy/docker/base/), for machines that cannot pull images
# Installs Debian's docker.io when missing (tools/containers.sh) and starts dockerd when no engine
# answers; an engine it started is stopped again (the images stay in its store).
set -euo pipefail
cd "$(dirname "$0")/.."
die() { echo "images: $*" >&2; exit 1; }

standin=0
services=()
for arg in "$@"; do
  case "$arg" in
    --standin-bases) standin=1 ;;
    -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option '$arg' (see npm run images -- --help)" ;;
    *) services+=("$arg") ;;
  esac
done
[[ -x node_modules/.bin/node ]] || die "node_modules missing: run npm ci first"
# the project's Node 24 (npm exports NODE as its own Node, which cannot run the TypeScript scripts)
NODE=$PWD/node_modules/.bin/node
known=$("$NODE" scripts/registry.ts names)
((${#services[@]})) || mapfile -t services <<<"$known"
for svc in "${services[@]}"; do
  grep -qxF "$svc" <<<"$known" || die "'$svc' is not a service of the registry (known: ${known//$'\n'/ })"
done

if [[ ! -x /usr/sbin/dockerd || ! -x /usr/bin/docker ]]; then
  [[ $(id -u) == 0 ]] || command -v sudo >/dev/null || die "Docker is not installed and neither root nor sudo is available"
  bash tools/containers.sh || die "installing Docker (tools/containers.sh) failed"
fi
WORK=$(mktemp -d /tmp/flotilla-images.XXXXXX)
# shellcheck source=tools/lib/docker-engine.sh
source tools/lib/docker-engine.sh
trap 'stop_engine; rm -rf "$WORK"' EXIT
start_engine >&2 || die "no Docker engine (dockerd's log: $WORK/dockerd.log)"

# shellcheck source=pipeline/lib-images.sh
source pipeline/lib-images.sh
if ((standin)); then standin_bases "${services[@]}" || die "stand-in bases failed (above)"; fi

tag=${FLOTILLA_IMAGE_TAG:-local}
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
for svc in "${services[@]}"; do
  version=$("$NODE" scripts/registry.ts get "$svc" version)
  t0=$SECONDS
  IMAGE_BUILD_LOG="$WORK/$svc.build.log" image_build "$svc" "$version" "$revision" "flotilla/$svc:$tag" ||
    die "$svc: the image build failed (the errors are above; a base image that cannot be pulled needs --standin-bases)"
  echo "images: flotilla/$svc:$tag built in $((SECONDS - t0)) s"
done
