#!/usr/bin/env bash
# Tier cluster: the chart on a real single-node Kubernetes (deploy/cluster, `npm run cluster`)
# with the fleet's real images from the containers tier (run it first: .ci/run's TIER_FIRST).
# Installs with --atomic into a namespace enforcing restricted Pod Security, helm test, hello's
# page and the dashboard, the Ingresses through the cluster's ingress controller (traefik),
# MESSAGES, a rolling update under load, bad releases rolled back, helm rollback / rollout undo,
# HPA, NetworkPolicy, PDB, routeguide's two layouts, store's migration hook on MariaDB, the
# Kustomize overlays, a second instance and a clean `down`.
# Prints the duration of every phase and `tier cluster: N passed, M failed`.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
export FLOTILLA_CLUSTER=${FLOTILLA_CLUSTER:-flotilla-ci}
CLUSTER=$FLOTILLA_CLUSTER
WORK=$(mktemp -d /tmp/tier-cluster.XXXXXX)
exec 3>&1

source ci/lib/harness.sh
source tools/lib/tools.sh
source deploy/cluster/versions.sh
source deploy/cluster/lib/config.sh
for f in lib install ingress releases scaling netpol routeguide store kustomize instances; do
  # shellcheck source=/dev/null
  source "ci/cluster/$f.sh"
done

cleanup() {
  set +e
  [[ -n "$POLL_PID" ]] && kill "$POLL_PID" 2>/dev/null
  for p in "${PF_PIDS[@]}"; do kill "$p" 2>/dev/null; done
  mysql_stop
  if [[ "${FLOTILLA_CLUSTER_KEEP:-}" != 1 ]]; then
    second down >/dev/null 2>&1
    cluster down >/dev/null 2>&1
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

tier_begin cluster

phase "build (tools/cluster.sh)"
require "the cluster's tools are built (Kubernetes, add-ons, images)" bash tools/cluster.sh
# the last build of each (cached ones were built by an earlier run on this machine)
for t in kubernetes cluster-debian helm metrics-server coredns flotilla-netpol local-path-provisioner traefik cluster-images; do
  logs=${FLOTILLA_CACHE:-$HOME/.cache/flotilla}/logs
  printf '        %-24s last build %5s s wall, %5s s CPU\n' "$t" "$(cat "$logs/$t.seconds" 2>/dev/null || echo ?)" \
    "$(cat "$logs/$t.cpu-seconds" 2>/dev/null || echo ?)"
done

phase "up"
t0=$SECONDS
up_logged() { cluster up --fresh >"$WORK/up.log" 2>&1 || { tail -n 20 "$WORK/up.log"; return 1; }; }
require "npm run cluster -- up" up_logged
echo "        up in $((SECONDS - t0)) s; $(grep -c '^\[' "$WORK/up.log") steps:"
grep '^\[' "$WORK/up.log" | sed 's/^/          /'
check "every system pod Ready (CoreDNS, metrics-server, local-path-provisioner)" all_ready kube-system
check "the ingress controller Ready (traefik)" all_ready traefik
same_pids_after_second_up() {
  local before after
  before=$(cat "$RUN"/*.pid | sort)
  cluster up >/dev/null 2>&1 || fail "second up failed"
  after=$(cat "$RUN"/*.pid | sort)
  [[ "$before" == "$after" ]] || fail "a second up restarted processes"
}
check "a second up is idempotent (same processes, still Ready)" same_pids_after_second_up
check "kubectl top node (metrics API)" eventually 60 kc top node

phase "images (load-images)"
require "the fleet's images (:$TAG) loaded into the cluster's containerd" cluster load-images

phase "install (helm --atomic, restricted Pod Security)"
scenario_install || { tier_end; exit 1; }

phase "helm test"
scenario_helm_test
phase "hello's page, the dashboard"
scenario_pages
phase "ingress (traefik)"
scenario_ingress
phase "MESSAGES"
scenario_messages
phase "rolling update, bad releases, rollback"
scenario_releases
phase "HPA, PodDisruptionBudget"
scenario_scaling
phase "NetworkPolicy"
scenario_netpol
phase "routeguide"
scenario_routeguide
phase "store migration hook"
scenario_store
phase "Kustomize overlays"
scenario_kustomize
phase "a second instance"
scenario_instances

phase "down"
down_leaves_nothing() {
  cluster down || return 1
  local left
  left=$(leftovers "$CLUSTER")
  [[ -z "$left" ]] || fail "left behind: $left"
}
if [[ "${FLOTILLA_CLUSTER_KEEP:-}" != 1 ]]; then
  check "down removes the cluster: no network namespace, cgroups, state, mounts or processes left" down_leaves_nothing
fi

tier_end
