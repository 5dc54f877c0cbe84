# shellcheck shell=bash
# Shared by the platform's parts: where its state lives (inside the cluster instance's state
# directory, so `down` removes it), one-line errors, timed steps, the cluster's tools.

PSTATE=$STATE/platform            # the platform's CA, signing key, the pipeline's output
PLATFORM_LOGS=$PSTATE/logs
KUBECTL_HOST=("$KUBECTL" --kubeconfig "$KUBECONFIG_HOST")
export FLOTILLA_CACHE

die() {
  echo "platform: $*" >&2
  exit 1
}

step_t0=$SECONDS
step() { printf '[%3d s] %s\n' "$((SECONDS - step_t0))" "$*"; }

need_up() {
  [[ -f "$KUBECONFIG_HOST" ]] && "${KUBECTL_HOST[@]}" get --raw /readyz >/dev/null 2>&1 ||
    die "instance '$CLUSTER' is not up (npm run platform -- up)"
}

k() { "${KUBECTL_HOST[@]}" "$@"; }

# in_node CMD...: CMD in the cluster's network namespace (it reaches ClusterIPs, as the node does),
# with the registry's name in its own /etc/hosts (a private mount namespace): the pipeline's steps
# name the registry as pods do.
in_node() {
  nsenter "--net=/run/netns/$NETNS" -- unshare --mount --propagation private \
    bash -c 'mount --bind "$0" /etc/hosts && exec "$@"' "$PSTATE/hosts" "$@"
}

# platform_images_import: every image of $PLATFORM_IMAGES into the cluster's containerd (those
# already there are skipped), as the cluster does with its add-ons.
platform_images_import() {
  local tars
  mapfile -t tars < <(find "$PLATFORM_IMAGES" -maxdepth 2 -name '*.tar' | sort)
  ((${#tars[@]})) || die "no platform images in $PLATFORM_IMAGES (bash tools/platform.sh)"
  (source "$REPO/deploy/cluster/lib/runtime.sh" && images_import "${tars[@]}")
}
