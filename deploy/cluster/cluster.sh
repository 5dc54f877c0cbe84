#!/usr/bin/env bash
# The local Kubernetes cluster: `npm run cluster -- up|down|status|kubectl ...|helm ...|exec ...|
# load-images|env`. A single-node Kubernetes built from source (tools/cluster.sh), running
# in its own network namespace; FLOTILLA_CLUSTER names the instance (default "flotilla"), so
# several run side by side. See docs/cluster.md.
set -euo pipefail
CLUSTER_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$CLUSTER_DIR/../.." && pwd)
source "$CLUSTER_DIR/versions.sh"
source "$CLUSTER_DIR/lib/config.sh"
for f in template proc pki netns runtime control-plane node api-forward addons fleet-images; do
  source "$CLUSTER_DIR/lib/$f.sh"
done

die() {
  echo "cluster: $*" >&2
  exit 1
}

usage() {
  cat <<USAGE
usage: npm run cluster -- COMMAND      (instance: FLOTILLA_CLUSTER=${CLUSTER})
  up [--fresh]       build what is missing (once per machine), start the cluster and its add-ons;
                     --fresh first removes what a stopped (e.g. killed) instance left: its etcd
                     data, images and mounts (CI tiers start from nothing)
  stop               stop every process, keep the state (etcd, images, volumes): as after a reboot;
                     a later `up` starts it again
  down               stop it and remove everything it made
  status             what runs
  kubectl ARGS...    kubectl against it (e.g. port-forward: binds the host's 127.0.0.1)
  helm ARGS...       helm against it
  exec CMD...        CMD inside the cluster's network namespace (KUBECONFIG set)
  load-images        copy the fleet's images (flotilla/<service>:\${FLOTILLA_IMAGE_TAG:-local}) from Docker
  env                shell exports for the host's kubectl/helm: eval "\$(npm run -s cluster -- env)"
USAGE
}

need_root() { ((EUID == 0)) || die "needs root (network namespaces, cgroups, mounts): run it as root or with sudo"; }
need_up() {
  if [[ ! -f "$KUBECONFIG_HOST" ]] || ! proc_running kube-apiserver; then
    die "instance '$CLUSTER' is not up (npm run cluster -- up)"
  fi
}

step_t0=$SECONDS
step() { printf '[%3d s] %s\n' "$((SECONDS - step_t0))" "$*"; }

cmd_up() {
  need_root
  case "${1:-}" in
    "") ;;
    --fresh)
      # e.g. a run killed half-way left etcd holding a release stuck in pending-install
      if ! proc_running kube-apiserver && [[ -d "$STATE" || -e /run/netns/$NETNS ]]; then
        cmd_down >/dev/null || die "could not remove what the stopped instance '$CLUSTER' left"
        step "removed what the stopped instance left"
      fi
      ;;
    *) die "up: unknown option '$1' (only --fresh)" ;;
  esac
  bash "$REPO/tools/cluster.sh" || die "building the cluster's tools failed"
  step "tools ready"
  mkdir -p "$STATE" "$RUN" "$LOGS"
  pki_ensure
  netns_ensure
  etcd_start
  containerd_start
  apiserver_start
  local import_log=$LOGS/import.log import_pid
  images_import "$IMAGES"/*.tar >"$import_log" 2>&1 &
  import_pid=$!
  wait_for 60 "kube-apiserver /readyz" apiserver_ready || die "the API server did not start (see $LOGS/kube-apiserver.log)"
  step "API server ready"
  controllers_start
  kubelet_start
  kube_proxy_start
  netpol_start
  api_forward_start
  wait "$import_pid" || die "importing the add-on images failed: $(tail -n 5 "$import_log")"
  wait_for 60 "node $NODE_NAME registered" kc get node "$NODE_NAME" || die "the kubelet did not register (see $LOGS/kubelet.log)"
  addons_apply || die "applying the add-ons failed"
  kc wait --for=condition=Ready "node/$NODE_NAME" --timeout=60s >/dev/null || die "node not Ready (see $LOGS/kubelet.log)"
  step "node Ready"
  addons_wait 120 || die "add-ons not Ready: $(kc get pods -A --no-headers 2>&1 | grep -v Running)"
  step "add-ons Ready (CoreDNS, metrics-server, local-path-provisioner, traefik, NetworkPolicy enforcer)"
  print_usage
}

print_usage() {
  cat <<USAGE

Cluster '$CLUSTER' is up: Kubernetes $KUBERNETES_VERSION, API server forwarded to https://127.0.0.1:$(api_forward_port)
  kubeconfig:     $KUBECONFIG_HOST     (eval "\$(npm run -s cluster -- env)" for your own kubectl/helm)
  kubectl:        npm run cluster -- kubectl get pods -A
  fleet images:   npm run cluster -- load-images       (after npm run images)
  install:        npm run cluster -- kubectl create namespace flotilla
                  npm run cluster -- kubectl label namespace flotilla pod-security.kubernetes.io/enforce=restricted
                  npm run cluster -- helm upgrade --install --atomic --wait flotilla deploy/helm/flotilla -n flotilla \\
                    -f deploy/cluster/values.yaml --set serviceDefaults.image.tag=local
  port-forward:   npm run cluster -- kubectl -n flotilla port-forward svc/flotilla-web 31080:80   (then http://127.0.0.1:31080/)
  ingress:        npm run cluster -- kubectl -n traefik port-forward svc/traefik 31081:80
                    (then curl -H 'Host: flotilla.local' http://127.0.0.1:31081/)
  stop:           npm run cluster -- stop   (keeps its state; up starts it again)
  remove:         npm run cluster -- down
USAGE
}

cmd_status() {
  local p state=0
  echo "instance $CLUSTER (state $STATE, network namespace $NETNS)"
  for p in etcd containerd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy netpol api-forward; do
    if proc_running "$p"; then
      printf '  %-24s running (pid %s)\n' "$p" "$(head -n1 "$RUN/$p.pid")"
    else
      printf '  %-24s stopped\n' "$p"
      state=1
    fi
  done
  if ((state == 0)); then
    echo "API server: https://127.0.0.1:$(api_forward_port) (kubeconfig $KUBECONFIG_HOST)"
    kc get nodes -o wide 2>&1 | sed 's/^/  /'
    kc get pods -A 2>&1 | sed 's/^/  /'
  fi
  return $state
}

# instance_stop: every process, container, mount, the network namespace and the cgroups gone, as
# after a reboot; the state directory (etcd's data, containerd's images, volumes, certificates) kept
instance_stop() {
  set +e # best effort: remove all that can be removed, then say what is left
  proc_stop 10 api-forward netpol kube-proxy kubelet kube-scheduler kube-controller-manager kube-apiserver
  local ids=() t
  if proc_running containerd; then
    # every pod's containers, then the shims (they outlive containerd otherwise)
    local c=(ctr --address "$CTRD_SOCK" -n k8s.io)
    mapfile -t ids < <("${c[@]}" containers ls -q 2>/dev/null)
    for t in $("${c[@]}" tasks ls -q 2>/dev/null); do "${c[@]}" tasks kill -s SIGKILL "$t" >/dev/null 2>&1; done
    for t in $("${c[@]}" tasks ls -q 2>/dev/null); do "${c[@]}" tasks delete -f "$t" >/dev/null 2>&1; done
    for t in "${ids[@]}"; do "${c[@]}" containers delete "$t" >/dev/null 2>&1; done
  fi
  # libcni's result cache is host-wide (/var/lib/cni/results): this instance's sandboxes only
  for t in "${ids[@]}"; do rm -f /var/lib/cni/results/*-"$t"-*; done
  proc_stop 10 containerd etcd
  # shims of this instance still alive (started with -address <our socket>)
  local pid
  for pid in $(pgrep -f -- "containerd-shim-runc-v2 .*-address $CTRD_SOCK( |$)" || true); do kill -KILL "$pid" 2>/dev/null || true; done
  # mounts below the state directory (pod volumes, overlay root filesystems, pod netns), deepest first
  awk -v s="$STATE/" 'index($2, s) == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m"
  done
  netns_delete
  cgroup_root_remove
  set -e
}

instance_left() { # what stop could not remove
  local left=()
  [[ -e /run/netns/$NETNS ]] && left+=("network namespace $NETNS")
  compgen -G "/sys/fs/cgroup/*$CGROUP_ROOT" >/dev/null && left+=("cgroups $CGROUP_ROOT")
  awk -v s="$STATE/" 'index($2, s) == 1 { found = 1 } END { exit !found }' /proc/self/mounts && left+=("mounts below $STATE")
  echo "${left[*]}"
}

cmd_stop() {
  need_root
  [[ -d "$STATE" ]] || die "instance '$CLUSTER' has no state to keep (npm run cluster -- up)"
  instance_stop
  local left
  left=$(instance_left)
  [[ -z "$left" ]] || die "could not remove: $left"
  echo "instance '$CLUSTER' stopped (state kept in $STATE; npm run cluster -- up starts it again)"
}

cmd_down() {
  need_root
  [[ -d "$STATE" || -e /run/netns/$NETNS ]] || { echo "instance '$CLUSTER' is not up"; return 0; }
  instance_stop
  set +e
  find /var/log/containers -maxdepth 1 -lname "$STATE/*" -delete 2>/dev/null || true
  rm -rf "$STATE"
  set -e
  local left
  left=$(instance_left)
  [[ -e "$STATE" ]] && left+=" $STATE"
  [[ -z "${left// /}" ]] || die "could not remove: $left"
  echo "instance '$CLUSTER' removed (processes, mounts, network namespace $NETNS, cgroups $CGROUP_ROOT, $STATE)"
}

cmd_env() {
  need_up
  echo "export KUBECONFIG=$KUBECONFIG_HOST"
  echo "export PATH=$K8S_BIN:$TOOLS_BIN:\$PATH"
}

main() {
  local cmd=${1:-}
  (($# > 0)) && shift
  case "$cmd" in
    up) cmd_up "$@" ;;
    down) cmd_down ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    kubectl) need_up; exec "$KUBECTL" --kubeconfig "$KUBECONFIG_HOST" "$@" ;;
    helm) need_up; exec "$HELM" --kubeconfig "$KUBECONFIG_HOST" "$@" ;;
    exec) need_root; need_up; KUBECONFIG=$KUBECONFIG_NODE PATH=$K8S_BIN:$TOOLS_BIN:$PATH exec "${NS_EXEC[@]}" "$@" ;;
    load-images) need_root; need_up; fleet_images_load ;;
    env) cmd_env ;;
    -h | --help | help) usage ;;
    "") usage; exit 2 ;;
    *) usage >&2; die "unknown command '$cmd'" ;;
  esac
}

main "$@"
