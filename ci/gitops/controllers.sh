# shellcheck shell=bash
# The Flux controllers of tier gitops, run as processes inside the cluster's network namespace
# (not as pods; see docs/gitops.md for why), each as the unprivileged user nobody with its own
# ServiceAccount's token as its kubeconfig (ci/gitops/controllers-rbac.yaml), with the flags of
# Flux's own Deployments (no leader election: one replica each). source-controller serves its
# artifacts on the namespace's loopback, where the other two fetch them. Sourced; defines:
#   controllers_install              the CRDs ($FLUX_CRDS) and the identities
#   controllers_start DIR NETNS      starts the three on free loopback ports, waits until ready
#   controllers_stop DIR
# Needs ROOT, kc (the caller's kubectl, as the cluster's admin), curl, setpriv, the binaries in $TOOLS_BIN.

FLUX_CONTROLLERS=(source-controller kustomize-controller helm-controller)

controllers_install() {
  kc apply --server-side --force-conflicts -f "$FLUX_CRDS" >/dev/null &&
    kc wait --for condition=Established --timeout 60s -f "$FLUX_CRDS" >/dev/null &&
    kc apply --server-side -f ci/gitops/controllers-rbac.yaml >/dev/null
}

# _controller_kubeconfig OUT SERVICEACCOUNT: the admin's cluster, with the account's token.
_controller_kubeconfig() {
  local out=$1 sa=$2 server ca token
  server=$(kc config view --minify --raw --flatten -o jsonpath='{.clusters[0].cluster.server}') &&
    ca=$(kc config view --minify --raw --flatten -o jsonpath='{.clusters[0].cluster.certificate-authority-data}') &&
    token=$(kc -n flux-system create token "$sa" --duration 4h) || return 1
  cat >"$out" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: cluster
    cluster: { server: "$server", certificate-authority-data: "$ca" }
users:
  - name: $sa
    user: { token: "$token" }
contexts:
  - name: $sa
    context: { cluster: cluster, user: $sa, namespace: flux-system }
current-context: $sa
EOF
}

controllers_start() {
  local dir=$1 netns=$2 name ports=()
  # ports: storage (artifacts), then metrics and health of each controller: free right now, and
  # below the namespace's ephemeral range, where no outgoing connection can take them meanwhile
  read -r -a ports < <(netns_free_ports "$netns" 7) && ((${#ports[@]} == 7)) || return 1
  mkdir -p "$dir/source-storage"
  chmod 755 "$dir"
  for name in "${FLUX_CONTROLLERS[@]}"; do
    _controller_kubeconfig "$dir/$name.kubeconfig" "$name" || return 1
    chown nobody:nogroup "$dir/$name.kubeconfig" && chmod 600 "$dir/$name.kubeconfig"
  done
  chown nobody:nogroup "$dir/source-storage"
  local common=(--watch-all-namespaces=true --enable-leader-election=false --log-encoding=json
    --log-level=info --events-addr=)
  _controller_run "$dir" "$netns" source-controller "${common[@]}" \
    --metrics-addr="127.0.0.1:${ports[1]}" --health-addr="127.0.0.1:${ports[2]}" \
    --storage-path="$dir/source-storage" --storage-addr="127.0.0.1:${ports[0]}" --storage-adv-addr="127.0.0.1:${ports[0]}" || return 1
  _controller_run "$dir" "$netns" kustomize-controller "${common[@]}" \
    --metrics-addr="127.0.0.1:${ports[3]}" --health-addr="127.0.0.1:${ports[4]}" || return 1
  _controller_run "$dir" "$netns" helm-controller "${common[@]}" \
    --metrics-addr="127.0.0.1:${ports[5]}" --health-addr="127.0.0.1:${ports[6]}" || return 1
  for _ in $(seq 120); do
    if ip netns exec "$netns" curl -fs "http://127.0.0.1:${ports[2]}/readyz" >/dev/null &&
      ip netns exec "$netns" curl -fs "http://127.0.0.1:${ports[4]}/readyz" >/dev/null &&
      ip netns exec "$netns" curl -fs "http://127.0.0.1:${ports[6]}/readyz" >/dev/null; then
      return 0
    fi
    for name in "${FLUX_CONTROLLERS[@]}"; do
      kill -0 "$(cat "$dir/$name.pid")" 2>/dev/null || { tail -n 20 "$dir/$name.log" >&2; return 1; }
    done
    sleep 0.5
  done
  echo "the Flux controllers were not ready within 60 s" >&2
  return 1
}

_controller_run() { # dir netns name flags...
  local dir=$1 netns=$2 name=$3
  shift 3
  # RUNTIME_NAMESPACE: where a controller's own objects (events, HelmCharts' defaults) live.
  setsid ip netns exec "$netns" env -i PATH=/usr/bin:/bin HOME="$dir" RUNTIME_NAMESPACE=flux-system \
    KUBECONFIG="$dir/$name.kubeconfig" setpriv --reuid=nobody --regid=nogroup --clear-groups \
    "$TOOLS_BIN/$name" "$@" >"$dir/$name.log" 2>&1 &
  echo $! >"$dir/$name.pid"
}

# netns_free_ports NETNS N: N distinct loopback ports free in NETNS (ci/lib/ports.py says which).
netns_free_ports() {
  ip netns exec "$1" python3 "$ROOT/ci/lib/ports.py" free "$2"
}

controllers_stop() {
  local dir=$1 name pid
  for name in "${FLUX_CONTROLLERS[@]}"; do
    pid=$(cat "$dir/$name.pid" 2>/dev/null) || continue
    kill -- "-$pid" 2>/dev/null
  done
  return 0
}
