# shellcheck shell=bash
# Tier cluster: routeguide's two layouts. The default pod of two containers (server + LMDB
# backend as a native sidecar); the chart's client Job (all four RPCs) in the cluster; the
# StatefulSet backend on a PersistentVolumeClaim whose notes survive the backend pod's deletion.

two_containers() {
  local pods p
  pods=$(kc -n "$NS" get pods -l app.kubernetes.io/name=routeguide -o json)
  python3 "$ROOT/ci/cluster/routeguide.py" pods "$pods" || fail "routeguide pods: not server + ready native sidecar"
}

client_by_helm_test() {
  release --set services.routeguide.jobs.client.enabled=true >/dev/null || fail "helm upgrade failed"
  hc test "$RELEASE" -n "$NS" --timeout 120s --filter "name=$RELEASE-routeguide-client" || fail "the client Job failed"
}

# client_run NAME: the chart's own client Job (rendered with the release's values, without its
# hook annotations so it stays for its logs), run to completion; prints its output.
client_run() {
  hc get values "$RELEASE" -n "$NS" -o yaml >"$WORK/rg-values.yaml"
  cluster helm template "$RELEASE" "$CHART" -n "$NS" -f "$WORK/rg-values.yaml" \
    --show-only templates/jobs.yaml >"$WORK/rg-job.yaml" || return 1
  kc create --dry-run=client -o json -f "$WORK/rg-job.yaml" | python3 "$ROOT/ci/cluster/routeguide.py" client-job "$1" \
    >"$WORK/rg-job-$1.json" || return 1
  kc -n "$NS" delete job "$1" --ignore-not-found >/dev/null
  kc -n "$NS" apply -f "$WORK/rg-job-$1.json" >/dev/null
  job_done() { [[ -n "$(kc -n "$NS" get job "$1" -o jsonpath='{.status.succeeded}{.status.failed}')" ]]; }
  wait_until 120 job_done "$1"
  if [[ "$(kc -n "$NS" get job "$1" -o jsonpath='{.status.succeeded}')" != 1 ]]; then
    kc -n "$NS" logs "job/$1" >&2
    return 1
  fi
  kc -n "$NS" logs "job/$1"
}

statefulset_notes_survive() {
  release --set services.routeguide.backend.mode=statefulset --set services.routeguide.jobs.client.enabled=true \
    >/dev/null || { fail "helm upgrade to the StatefulSet backend failed"; return; }
  local pvc sts="$RELEASE-routeguide-backend"
  pvc=$(kc -n "$NS" get pvc -o jsonpath='{range .items[*]}{.metadata.name} {.status.phase} {.spec.storageClassName}{"\n"}{end}' | grep "$sts")
  note "PVC: $pvc"
  [[ "$pvc" == *" Bound local-path" ]] || fail "the backend's PVC is not Bound by local-path: $pvc"
  local first second
  first=$(client_run rg-client-1) || { fail "first client run failed"; return; }
  grep -q '^1 earlier notes received' <<<"$first" || fail "first run on an empty backend: $(tail -n 3 <<<"$first")"
  kc -n "$NS" delete pod "$sts-0" --wait=true >/dev/null
  kc -n "$NS" rollout status "statefulset/$sts" --timeout=120s >/dev/null || fail "the backend did not come back"
  kc -n "$NS" rollout status "deploy/$RELEASE-routeguide" --timeout=60s >/dev/null
  second=$(client_run rg-client-2) || { fail "second client run failed"; return; }
  note "after deleting $sts-0: $(grep 'earlier notes' <<<"$second")"
  # the second run replays the first run's four notes too: 7 instead of 1
  grep -q '^7 earlier notes received' <<<"$second" || fail "notes lost with the pod: $(tail -n 3 <<<"$second")"
  kc -n "$NS" delete job rg-client-1 rg-client-2 >/dev/null
}

scenario_routeguide() {
  check "routeguide pods: server + native sidecar backend, both Ready" two_containers
  check "routeguide client Job (all four RPCs) through helm test, in the cluster" client_by_helm_test
  check "routeguide StatefulSet backend: PVC bound, notes survive the backend pod's deletion" statefulset_notes_survive
  release >/dev/null # back to the default layout
}
