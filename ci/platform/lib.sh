# shellcheck shell=bash
# Shared by tier platform's scenarios: the instance, its kubectl, the platform command, the client
# that polls the fleet from inside the cluster for the whole tier, and a copy of the repository
# whose deploy/ the change scenarios edit and publish (PLATFORM_SOURCE).

PLATFORM_NS=flotilla
REGISTRY=registry.registry.svc.cluster.local:5000
PSTATE=/var/lib/flotilla/clusters/$CLUSTER/platform
POLL_PID=""
POLL_LOG=""

platform() { bash "$ROOT/deploy/platform/platform.sh" "$@"; }
# tier cluster's kc (ci/cluster/lib.sh) through cluster.sh, without its startup: this tier calls it
# in tight polling loops
kc() { "$FLOTILLA_CACHE/kubernetes/bin/kubectl" --kubeconfig "/var/lib/flotilla/clusters/$CLUSTER/kubeconfig" "$@"; }
# in the cluster's network namespace, with the registry's name resolved as pods resolve it
in_node() {
  nsenter "--net=/run/netns/$CLUSTER" -- unshare --mount --propagation private \
    bash -c 'mount --bind "$0" /etc/hosts && exec "$@"' "$PSTATE/hosts" "$@"
}
crane_node() { in_node env SSL_CERT_FILE="$PSTATE/pki/trust.pem" "$FLOTILLA_CACHE/bin/crane" "$@"; }
cosign_node() { in_node env SSL_CERT_FILE="$PSTATE/pki/trust.pem" "$FLOTILLA_CACHE/bin/cosign" "$@"; }
declare -F note >/dev/null || note() { echo "        $*" >&3; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

flux_json() { kc get ocirepositories,kustomizations,helmreleases -A -o json; }
all_flux_ready() { flux_json | python3 "$ROOT/deploy/platform/lib/readiness.py" flux; }
all_pods_ready() { kc get pods -A -o json | python3 "$ROOT/deploy/platform/lib/readiness.py" pods; }
hr() { kc -n "$PLATFORM_NS" get helmrelease flotilla -o json | python3 "$ROOT/ci/platform/release.py" "$@"; }

# ---------------------------------------------------------------- the polling client
poll_start() {
  local ip
  ip=$(kc -n "$PLATFORM_NS" get service flotilla-hello -o jsonpath='{.spec.clusterIP}') || return 1
  POLL_LOG=$WORK/poll.jsonl
  ip netns exec "$CLUSTER" python3 "$ROOT/ci/lib/poll.py" run "http://$ip/" "$POLL_LOG" --interval 0.25 \
    >"$WORK/poll.out" 2>&1 &
  POLL_PID=$!
  wait_until 60 python3 "$ROOT/ci/lib/poll.py" first "$POLL_LOG" "Hello from the Flotilla platform"
}
poll_stop() { [[ -z "$POLL_PID" ]] || { kill "$POLL_PID" 2>/dev/null; wait "$POLL_PID" 2>/dev/null; POLL_PID=""; }; }
poll_window() { python3 "$ROOT/ci/lib/poll.py" window "$POLL_LOG" "$@"; }

# ---------------------------------------------------------------- the source the changes edit
# SOURCE: a copy of this checkout's deploy/flux and chart; source_edit FILE OLD NEW edits it
# (exactly one occurrence); source_publish runs `platform sync` on it.
source_init() {
  SOURCE=$WORK/source
  rm -rf "$SOURCE" && mkdir -p "$SOURCE/deploy/helm"
  cp -r "$ROOT/deploy/flux" "$SOURCE/deploy/flux" && cp -r "$ROOT/deploy/helm/flotilla" "$SOURCE/deploy/helm/flotilla"
}
source_edit() { python3 "$ROOT/ci/platform/edit.py" "$SOURCE/$1" "$2" "$3"; }
source_publish() { PLATFORM_SOURCE=$SOURCE platform sync >"$WORK/sync.log" 2>&1 || { tail -n 5 "$WORK/sync.log"; return 1; }; }
