# shellcheck shell=bash
# Tier cluster: a second instance next to the first (its own namespace, state, cgroups), and
# `down` leaving nothing behind while the first keeps serving.

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

two_instances() {
  local t0=$SECONDS
  second up >"$WORK/second-up.log" 2>&1 || { tail -n 5 "$WORK/second-up.log"; fail "the second instance did not come up"; return; }
  note "$SECOND up in $((SECONDS - t0)) s beside $CLUSTER"
  second kubectl get pods -A --no-headers | grep -v Running && fail "$SECOND has pods not Running"
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
  check "a second instance runs beside the first; its down removes it all and the first keeps serving" two_instances
  kc -n "$NS" delete pod np-client --wait=false >/dev/null
}
