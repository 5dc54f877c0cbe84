# shellcheck shell=bash
# The node's network: a private network namespace with no link to the host's network. The
# node address sits on one end of a veth pair inside it (this kernel has no dummy netdev); the
# default route points at an address nobody has, so nothing can leave. Every iptables, ipset
# and conntrack rule of the cluster lives in this namespace and disappears with it.

netns_ensure() {
  [[ -e /run/netns/$NETNS ]] || ip netns add "$NETNS"
  local ip=(ip -n "$NETNS")
  "${ip[@]}" link set lo up
  "${ip[@]}" link show node0 >/dev/null 2>&1 || "${ip[@]}" link add node0 type veth peer name node1
  "${ip[@]}" link set node0 up
  "${ip[@]}" link set node1 up
  "${ip[@]}" addr replace "$NODE_IP/24" dev node0
  "${ip[@]}" route replace default via "$NODE_GATEWAY" dev node0
  # per-namespace sysctls: routing for pods, bridged traffic through iptables (kube-proxy,
  # NetworkPolicy), loopback-routed NodePorts
  "${NS_EXEC[@]}" sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1 \
    net.ipv4.conf.all.route_localnet=1
}

netns_delete() {
  [[ -e /run/netns/$NETNS ]] && ip netns delete "$NETNS"
  return 0
}
