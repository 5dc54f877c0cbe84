# shellcheck shell=bash
# Building a fleet member's container image: the one recipe shared by the containers tier and
# the pipeline's build-images step (pipeline/build-images). What differs per member (Dockerfile,
# build arguments: SERVICE, PORT...) is declared once, in the "image" block of its registry
# manifest (scripts/registry.ts: image.dockerfile, build-args). Source it; it defines functions only.
#   image_build NAME VERSION REVISION TAG...   builds NAME's image with the OCI labels and every TAG;
#                                              the build log goes to $IMAGE_BUILD_LOG (or a temp file)
#                                              and only its errors are shown on failure
#   docker_build ARGS...                       `docker build` with BuildKit and the build CA secret
#   standin_bases SERVICE...                   the stand-in base images those services' builds need
#                                              (machines that cannot pull), from deploy/docker/base
# Needs: DOCKER (Debian's client, which carries BuildKit), NODE (the project's node), python3.

DOCKER=${DOCKER:-/usr/bin/docker}
NODE=${NODE:-node_modules/.bin/node}
# A TLS-intercepting proxy's CA reaches `npm ci` as a build secret, never a layer: the host's
# trust store, where there is one.
BUILD_CA_FILE=${BUILD_CA_FILE:-/etc/ssl/certs/ca-certificates.crt}

docker_build() {
  local secret=()
  [[ -s "$BUILD_CA_FILE" ]] && secret=(--secret "id=build_ca,src=$BUILD_CA_FILE")
  DOCKER_BUILDKIT=1 "$DOCKER" build --progress=plain "${secret[@]}" "$@"
}

# The stand-ins need root (debootstrap); a job that is not root (a hosted runner's user) runs them
# through passwordless sudo, with its PATH and Docker client.
_as_root() {
  if [[ "$(id -u)" == 0 ]]; then "$@"; else sudo -n env "PATH=$PATH" "DOCKER=$DOCKER" "$@"; fi
}

standin_bases() {
  _as_root bash deploy/docker/base/build-standin-bases.sh >&2 || { echo "the stand-in base images failed" >&2; return 1; }
  if printf '%s\n' "$@" | grep -qx web; then
    _as_root bash deploy/docker/base/build-nginx-standin.sh >&2 || { echo "the stand-in nginx base failed" >&2; return 1; }
  fi
}

# _image_args NAME: the member's Dockerfile and build arguments (the registry's image block) as
# `docker build` arguments, one a line.
_image_args() {
  local dockerfile kv
  dockerfile=$("$NODE" scripts/registry.ts get "$1" image.dockerfile) || return 1
  printf '%s\n' -f "$dockerfile"
  while read -r kv; do printf '%s\n' --build-arg "$kv"; done < <("$NODE" scripts/registry.ts build-args "$1")
}

image_build() {
  local name=$1 version=$2 revision=$3
  shift 3
  local args=() tags=() tag log=${IMAGE_BUILD_LOG:-}
  mapfile -t args < <(_image_args "$name")
  ((${#args[@]} > 0)) || { echo "image_build: no image recipe for '$name' in the registry" >&2; return 1; }
  for tag in "$@"; do
    "$DOCKER" image rm -f "$tag" >/dev/null 2>&1 || true # never test or ship a stale image
    tags+=(-t "$tag")
  done
  [[ -n "$log" ]] || log=$(mktemp /tmp/flotilla-build.XXXXXX)
  docker_build "${args[@]}" --build-arg VERSION="$version" \
    --build-arg REVISION="$revision" --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    "${tags[@]}" . >"$log" 2>&1 && return 0
  # the first errors (npm prints its usage after them), then the end of the log
  grep -E 'npm error (code|[A-Z`])|ERROR' "$log" | head -n 20 >&2
  tail -n 5 "$log" >&2
  return 1
}
