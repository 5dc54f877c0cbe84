# shellcheck shell=bash
# The node: kubelet (pods in cgroups below the instance's cgroup root), kube-proxy (iptables
# inside the namespace) and the NetworkPolicy enforcer, all node processes like on a kubeadm
# node's host. Why the enforcer is a process and not a DaemonSet pod: it needs the node's
# iptables and ipset binaries and privileges in the node's namespace; as a pod it would need a
# privileged hostNetwork image carrying Debian's iptables and its libraries.

# cgroup_root_ensure: the kubelet requires its --cgroup-root to exist in every hierarchy.
cgroup_root_ensure() {
  local h
  for h in /sys/fs/cgroup/*/; do
    [[ -f "$h/cgroup.procs" ]] && mkdir -p "$h${CGROUP_ROOT#/}"
  done
  [[ -f /sys/fs/cgroup/cgroup.procs ]] && mkdir -p "/sys/fs/cgroup${CGROUP_ROOT}"
  return 0
}

# cgroup_root_remove: the instance's cgroups, deepest first (all empty once its pods are gone).
cgroup_root_remove() {
  local d
  for d in /sys/fs/cgroup/*"$CGROUP_ROOT" /sys/fs/cgroup"$CGROUP_ROOT"; do
    [[ -d "$d" ]] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
  done
  return 0
}

kubelet_start() {
  mkdir -p "$STATE/kubelet" "$STATE/pod-logs"
  cgroup_root_ensure
  # Pods get the cluster DNS only (no upstream: nothing outside the namespace is reachable).
  echo "nameserver $DNS_SERVICE_IP" >"$STATE/resolv.conf"
  render_to "$CLUSTER_DIR/templates/kubelet.yaml" "$STATE/kubelet.yaml"
  proc_start kubelet "$K8S_BIN/kubelet" --config="$STATE/kubelet.yaml" \
    --kubeconfig="$STATE/kubelet.kubeconfig" --root-dir="$STATE/kubelet" \
    --node-ip="$NODE_IP" --hostname-override="$NODE_NAME"
}

kube_proxy_start() {
  render_to "$CLUSTER_DIR/templates/kube-proxy.yaml" "$STATE/kube-proxy.yaml"
  proc_start kube-proxy "$K8S_BIN/kube-proxy" --config="$STATE/kube-proxy.yaml"
}

netpol_start() {
  proc_start netpol "$TOOLS_BIN/flotilla-netpol" --kubeconfig="$STATE/netpol.kubeconfig" \
    --hostname-override="$NODE_NAME" --service-cluster-ip-range="$SERVICE_CIDR" \
    --health-port=20244 --metrics-port=0 --iptables-sync-period=1m
}
