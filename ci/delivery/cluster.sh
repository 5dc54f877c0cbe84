# shellcheck shell=bash
# The delivery tier's side of the local cluster (deploy/cluster/cluster.sh, `npm run cluster`):
# its own instance, the commands that run inside its network namespace (where the registry,
# containerd and the API server are), and the registry trust for its containerd. Sourced.
#   cluster_start / cluster_stop     up (if not already) / down (only what this tier started)
#   in_cluster CMD...                CMD inside the cluster's network namespace, KUBECONFIG set
#   kube ARGS...                     kubectl against the cluster
#   cluster_trust_registry HOST:PORT CA   containerd's hosts.toml: the CA and the credentials
#   cluster_namespace NAME           a namespace enforcing restricted Pod Security
CLUSTER_NAME=${FLOTILLA_CLUSTER:-delivery}
CLUSTER_STARTED=0
CLUSTER_STATE=""

cluster() { FLOTILLA_CLUSTER=$CLUSTER_NAME bash "$ROOT/deploy/cluster/cluster.sh" "$@"; }
in_cluster() { cluster exec "$@"; }
kube() { cluster kubectl "$@"; }

cluster_start() {
  if ! cluster status >/dev/null 2>&1; then
    CLUSTER_STARTED=1
    cluster up --fresh >"$STATE/cluster-up.log" 2>&1 || { tail -n 20 "$STATE/cluster-up.log"; return 1; }
    grep -E '^\[ *[0-9]+ s\]' "$STATE/cluster-up.log" | tail -n 1
  fi
  # "instance NAME (state DIR, network namespace NS)"
  CLUSTER_STATE=$(cluster status 2>/dev/null | sed -n '1s/.*(state \([^,]*\),.*/\1/p')
  [[ -d "$CLUSTER_STATE" ]] || fail "cannot find the state directory of cluster $CLUSTER_NAME"
}

cluster_stop() {
  ((CLUSTER_STARTED)) || return 0
  cluster down >"$STATE/cluster-down.log" 2>&1 || tail -n 5 "$STATE/cluster-down.log"
}

# The node pulls with the credentials of a node identity (as EKS nodes pull from ECR with their
# instance role), not with per-pod pull secrets: containerd's registry host config sends them.
cluster_trust_registry() {
  local reg=$1 ca=$2 dir="$CLUSTER_STATE/containerd/certs.d/$1"
  mkdir -p "$dir" && cp "$ca" "$dir/ca.crt" || return 1
  cat >"$dir/hosts.toml" <<TOML
server = "https://$reg"

[host."https://$reg"]
  capabilities = ["pull", "resolve"]
  ca = "$dir/ca.crt"
  [host."https://$reg".header]
    Authorization = "Basic $(printf '%s:%s' "$REGISTRY_USER" "$REGISTRY_PASSWORD" | base64 -w0)"
TOML
  chmod 600 "$dir/hosts.toml"
}

cluster_namespace() {
  kube create namespace "$1" --dry-run=client -o yaml | kube apply -f - >/dev/null &&
    kube label --overwrite namespace "$1" pod-security.kubernetes.io/enforce=restricted >/dev/null &&
    [[ "$(kube get namespace "$1" -o jsonpath='{.metadata.labels.pod-security\.kubernetes\.io/enforce}')" == restricted ]]
}

# The registry runs inside the namespace: bound to its loopback, reachable by containerd and the
# pipeline's steps (which run there too), invisible to the host and to every other instance.
in_cluster_registry_up() {
  # shellcheck disable=SC2034 # read by registry_up
  REGISTRY_EXEC=(env "FLOTILLA_CLUSTER=$CLUSTER_NAME" bash "$ROOT/deploy/cluster/cluster.sh" exec)
  registry_up "$@"
}
in_cluster_registry_down() { registry_down; }
