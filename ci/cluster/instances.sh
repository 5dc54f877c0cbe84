# shellcheck shell=bash
# Tier cluster: a second instance next to the first (its own namespace, state, cgroups), and
# `up --fresh` starting from nothing after the instance was killed, `down` leaving nothing behind
# while the first keeps serving.

SECOND=${CLUSTER}-2

second() { FLOTILLA_CLUSTER=$SECOND bash "$ROOT/deploy/cluster/cluster.sh" "$@"; }

# leftovers NAME: what of instance NAME still exists on the host.
leftovers() {
  local name=$1 state=/var/lib/flotilla/clusters/$1 out=()
  [[ -e /run/netns/$name ]] && out+=("netns")
  compgen -G "/sys/fs/cgroup/*/$name" >/dev/null && out+=("cgroups")
  [[ -e "$state" ]] && out+=("state dir")
  grep -q " $state/" /proc/self/mounts && out+=("mounts")
  pgrep -f -- "$state/" >/dev/null && out+=("processes")
  echo "${out[*]}"
}

# kill_instance NAME: SIGKILL every process of instance NAME, as the end of a CI job or a crash
# does: its control plane and shims (their command lines name its state) and its pods (its cgroups).
kill_instance() {
  local name=$1
  pkill -KILL -f -- "/var/lib/flotilla/clusters/$name/" || true
  find "/sys/fs/cgroup/cpu/$name" -name cgroup.procs -exec cat {} + 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
  sleep 1
}

# up --fresh after a kill starts from nothing: what the killed instance held (here a namespace;
# in the delivery tier once a helm release stuck in pending-install) is gone.
fresh_after_kill() {
  second kubectl create namespace left-behind >/dev/null || { fail "cannot create a namespace in $SECOND"; return; }
  kill_instance "$SECOND"
  # negative control: the killed instance's etcd data is still there for a plain up to reuse
  [[ -n "$(ls -A "/var/lib/flotilla/clusters/$SECOND/etcd" 2>/dev/null)" ]] ||
    fail "the killed instance left no etcd data: nothing here would show that --fresh removes it"
  local t0=$SECONDS
  second up --fresh >"$WORK/second-fresh.log" 2>&1 || { tail -n 5 "$WORK/second-fresh.log"; fail "up --fresh after a kill failed"; return; }
  grep -q "removed what the stopped instance left" "$WORK/second-fresh.log" || fail "up --fresh did not remove the leftovers"
  note "$SECOND up --fresh after a kill in $((SECONDS - t0)) s"
  second kubectl get namespace left-behind >/dev/null 2>&1 && fail "the namespace of the killed instance survived up --fresh"
  second kubectl get pods -A --no-headers | grep -v Running && fail "$SECOND has pods not Running after up --fresh"
}

two_instances() {
  local t0=$SECONDS
  second up >"$WORK/second-up.log" 2>&1 || { tail -n 5 "$WORK/second-up.log"; fail "the second instance did not come up"; return; }
  note "$SECOND up in $((SECONDS - t0)) s beside $CLUSTER"
  second kubectl get pods -A --no-headers | grep -v Running && fail "$SECOND has pods not Running"
  fresh_after_kill
  [[ -d /sys/fs/cgroup/cpu/$SECOND/kubepods && -d /sys/fs/cgroup/cpu/$CLUSTER/kubepods ]] ||
    fail "each instance should have its own kubepods cgroup"
  [[ "$(second kubectl get pods -A --no-headers | grep -c flotilla)" == 0 ]] || fail "$SECOND sees $CLUSTER's pods"
  second down >"$WORK/second-down.log" 2>&1 || { tail -n 5 "$WORK/second-down.log"; fail "down of $SECOND failed"; }
  local left
  left=$(leftovers "$SECOND")
  [[ -z "$left" ]] || fail "$SECOND left: $left"
  all_ready "$NS"
  [[ "$(http_from "$NS" np-client "$RELEASE-stats.$NS.svc.cluster.local" 80 /stats)" == *" 200 "* ]] ||
    fail "$CLUSTER stopped serving after $SECOND went down"
}

scenario_instances() {
  probe_pod "$NS" np-client "$RELEASE-stats-client=true" || { fail "probe pod did not start"; return; }
  check "a second instance runs beside the first; up --fresh after a kill starts from nothing; its down removes it all and the first keeps serving" two_instances
  kc -n "$NS" delete pod np-client --wait=false >/dev/null
}
