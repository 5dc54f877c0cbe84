# shellcheck shell=bash
# The fleet's own images (built by `npm run images`, tag `local` unless FLOTILLA_IMAGE_TAG says
# otherwise) copied from the Docker engine into the cluster's containerd with `docker save`, so
# nothing is pulled. The engine is started for the copy when none runs (tools/lib/docker-engine.sh)
# and stopped again. Images missing from the engine are not built here: the message says how.

fleet_images_load() {
  local tag=${FLOTILLA_IMAGE_TAG:-local} node=$REPO/node_modules/.bin/node svc refs=() missing=()
  [[ -x "$node" ]] || { echo "cluster: node_modules missing: run npm ci first" >&2; return 1; }
  mapfile -t services < <("$node" "$REPO/scripts/registry.ts" names)
  ((${#services[@]} > 0)) || { echo "cluster: no services in the registry" >&2; return 1; }
  (
    WORK=$(mktemp -d /tmp/flotilla-cluster-images.XXXXXX)
    trap 'stop_engine; rm -rf "$WORK"' EXIT
    # shellcheck source=tools/lib/docker-engine.sh
    source "$REPO/tools/lib/docker-engine.sh"
    start_engine >/dev/null || exit 1
    for svc in "${services[@]}"; do
      refs+=("flotilla/$svc:$tag")
      "$DOCKER" image inspect "flotilla/$svc:$tag" >/dev/null 2>&1 || missing+=("flotilla/$svc:$tag")
    done
    if ((${#missing[@]} > 0)); then
      echo "cluster: not in the Docker engine: ${missing[*]}" >&2
      echo "cluster: build them with 'npm run images' (flotilla/<service>:local; add -- --standin-bases" \
        "where base images cannot be pulled), or point FLOTILLA_IMAGE_TAG at a tag you built" >&2
      exit 1
    fi
    "$DOCKER" save "${refs[@]}" | ctr --address "$CTRD_SOCK" -n k8s.io images import - >/dev/null || exit 1
    printf '%s\n' "${refs[@]}"
  )
}
