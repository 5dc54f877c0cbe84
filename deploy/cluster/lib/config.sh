# shellcheck shell=bash
# One cluster instance: its name keys every host-side object (network namespace, state
# directory with the containerd/etcd/kubelet data and sockets, the kubelet's cgroup root, the
# API forward), so several instances run side by side. Inside its network namespace every
# instance uses the same addresses and the components' standard ports: nothing there is shared.

CLUSTER=${FLOTILLA_CLUSTER:-flotilla}
if [[ ! "$CLUSTER" =~ ^[a-z][a-z0-9-]{0,30}$ ]]; then
  echo "cluster: FLOTILLA_CLUSTER='$CLUSTER' must be a lower-case name (letters, digits, '-', at most 31)" >&2
  exit 2
fi
STATE=${FLOTILLA_CLUSTER_STATE_ROOT:-/var/lib/flotilla/clusters}/$CLUSTER
NETNS=$CLUSTER
NS_EXEC=(nsenter "--net=/run/netns/$NETNS" --)
CGROUP_ROOT=/$CLUSTER # the kubelet's --cgroup-root: its kubepods live below /<name>
NODE_NAME=$CLUSTER

# inside the network namespace (the node is a veth pair: this kernel has no dummy netdev)
NODE_IP=10.240.0.2
NODE_GATEWAY=10.240.0.1 # a route target that does not exist: nothing leaves the namespace
POD_CIDR=10.244.0.0/16
NODE_POD_CIDR=10.244.0.0/24
SERVICE_CIDR=10.96.0.0/16
API_SERVICE_IP=10.96.0.1
DNS_SERVICE_IP=10.96.0.10
API_PORT=6443
CONTAINERD_STREAM_PORT=10010

# the host side: the API server is forwarded to 127.0.0.1:<port> (chosen at `up`, or pinned)
API_FORWARD_PORT_FILE=$STATE/api-forward-port
KUBECONFIG_HOST=$STATE/kubeconfig        # for the host (kubectl, helm, port-forward)
KUBECONFIG_NODE=$STATE/admin.kubeconfig  # inside the namespace (`cluster exec`)

CTRD_SOCK=$STATE/run/containerd.sock
LOGS=$STATE/logs
RUN=$STATE/run

FLOTILLA_CACHE=${FLOTILLA_CACHE:-$HOME/.cache/flotilla}
K8S_BIN=$FLOTILLA_CACHE/kubernetes/bin
DEBROOT=$FLOTILLA_CACHE/cluster-debian
IMAGES=$FLOTILLA_CACHE/cluster-images
TOOLS_BIN=$FLOTILLA_CACHE/bin
KUBECTL=$K8S_BIN/kubectl
HELM=$TOOLS_BIN/helm

# kubectl on the host, through the API forward
kc() { "$KUBECTL" --kubeconfig "$KUBECONFIG_HOST" "$@"; }
