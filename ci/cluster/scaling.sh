# shellcheck shell=bash
# Tier cluster: the HorizontalPodAutoscaler on CPU (metrics-server) scales hello up under load
# and back down, and a PodDisruptionBudget refuses an eviction that would break it.

hello_replicas() { kc -n "$NS" get deploy "$RELEASE-hello" -o jsonpath='{.status.readyReplicas}'; }
hpa_min() { kc -n "$NS" get hpa "$RELEASE-hello" -o jsonpath='{.spec.minReplicas}'; }
above() { (($(hello_replicas) > $1)); }
at() { [[ "$(kc -n "$NS" get deploy "$RELEASE-hello" -o jsonpath='{.spec.replicas}')" == "$1" ]] && [[ "$(hello_replicas)" == "$1" ]]; }

hpa_scales() {
  local min ip pids=() i t0=$SECONDS
  min=$(hpa_min)
  [[ -n "$min" ]] || fail "hello has no HPA"
  at "$min" || eventually 120 at "$min" || fail "hello not at its minimum ($min) before the load"
  ip=$(kc -n "$NS" get svc "$RELEASE-hello" -o jsonpath='{.spec.clusterIP}')
  # CPU load: three clients as fast as they go (bounded: stopped below, at most 150 s)
  for i in 1 2 3; do
    timeout 150 bash "$ROOT/deploy/cluster/cluster.sh" exec python3 "$ROOT/ci/lib/poll.py" run "http://$ip/" "$WORK/load-$i.jsonl" \
      --interval 0 >"$WORK/load-$i.out" 2>&1 &
    pids+=($!)
  done
  eventually 140 above "$min"
  local up=$?
  kill -TERM "${pids[@]}" 2>/dev/null
  wait "${pids[@]}" 2>/dev/null
  ((up == 0)) || { kc -n "$NS" get hpa "$RELEASE-hello" >&2; fail "hello did not scale above $min under load"; return; }
  local peak
  peak=$(hello_replicas)
  note "scaled up to $peak replicas in $((SECONDS - t0)) s ($(kc -n "$NS" get hpa "$RELEASE-hello" --no-headers | awk '{print $3, $4}'))"
  t0=$SECONDS
  eventually 180 at "$min" || fail "hello did not scale back to $min"
  note "back to $min replicas $((SECONDS - t0)) s after the load stopped"
}

# evict NAMESPACE POD: the Eviction API (what kubectl drain uses); prints the HTTP answer.
evict() {
  kc create --raw "/api/v1/namespaces/$1/pods/$2/eviction" -f - <<JSON 2>&1
{"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": "$2", "namespace": "$1"}}
JSON
}

pdb_refuses() {
  local pods first second
  eventually 60 at "$(hpa_min)" >/dev/null
  read -r -a pods <<<"$(kc -n "$NS" get pods -l app.kubernetes.io/name=stats -o jsonpath='{.items[*].metadata.name}')"
  ((${#pods[@]} == 2)) || fail "expected 2 stats pods, got ${pods[*]}"
  [[ "$(kc -n "$NS" get pdb "$RELEASE-stats" -o jsonpath='{.spec.minAvailable}')" == 1 ]] || fail "stats PDB is not minAvailable 1"
  first=$(evict "$NS" "${pods[0]}")
  second=$(evict "$NS" "${pods[1]}")
  note "first eviction: ${first:0:120}"
  note "second eviction: ${second:0:160}"
  # the first is allowed (a disruption the budget has room for: the negative control)
  grep -q '"Success"' <<<"$first" || fail "the first eviction (within the budget) was refused: $first"
  grep -q "disruption budget" <<<"$second" || fail "the second eviction was not refused: $second"
  eventually 90 all_ready "$NS"
}

scenario_scaling() {
  check "HPA: CPU load on hello scales it above its minimum, and back down after" hpa_scales
  check "PodDisruptionBudget: evicting the second stats pod is refused (the first is allowed)" pdb_refuses
}
