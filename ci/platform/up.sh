# shellcheck shell=bash
# From nothing: `platform up --fresh` on a machine whose tools are built; then every Flux object
# and pod Ready, the fleet running images of the in-cluster registry by digest that the kubelet
# pulled, and a second `up` that changes nothing.

scenario_up() {
  local t0=$SECONDS
  up_logged() { platform up --fresh >"$WORK/up.log" 2>&1 || { tail -n 20 "$WORK/up.log"; return 1; }; }
  require "npm run platform -- up --fresh: the cluster, the registry, the fleet published, Flux, everything Ready" up_logged
  UP_SECONDS=$((SECONDS - t0))
  note "up in $UP_SECONDS s:"
  grep '^\[' "$WORK/up.log" | sed 's/^/          /' >&3
  check "every Flux object Ready: the OCI sources (cosign-verified), Kustomizations flux-system, infrastructure, apps, HelmRelease flotilla" all_flux_ready
  check "every pod of the cluster Ready (or Succeeded: helm tests)" all_pods_ready
  check "the fleet's containers run images of $REGISTRY by digest, each pulled by the kubelet (Pulled events)" fleet_pulled
  check "the same check refuses the add-ons' images, imported and never pulled (negative control)" \
    expect_failure "is not an image of" fleet_pulled traefik
  check "the infrastructure was Ready before the fleet's release was created (dependsOn)" depends_on_order
  check "helm tests ran with the release and passed" hr_tested
}

# fleet_pulled [NAMESPACE]: the pods of the fleet's services (the registry's names; the exporters of
# store's databases are platform components, imported like the add-ons), or every pod of NAMESPACE
fleet_pulled() {
  local ns=${1:-$PLATFORM_NS} selector=()
  [[ -n "${1:-}" ]] || selector=(-l "app.kubernetes.io/name in ($("$ROOT/node_modules/.bin/node" "$ROOT/scripts/registry.ts" names | paste -sd,))")
  kc -n "$ns" get pods "${selector[@]}" -o json >"$WORK/pods.json" && kc -n "$ns" get events -o json >"$WORK/events.json" &&
    python3 "$ROOT/ci/platform/fleet-images.py" "$WORK/pods.json" "$WORK/events.json" "$REGISTRY"
}

depends_on_order() {
  local infra created
  infra=$(kc -n flux-system get kustomization infrastructure -o jsonpath='{.status.conditions[?(@.type=="Ready")].lastTransitionTime}')
  created=$(kc -n "$PLATFORM_NS" get helmrelease flotilla -o jsonpath='{.metadata.creationTimestamp}')
  echo "infrastructure Ready at $infra, HelmRelease created at $created"
  [[ -n "$infra" && -n "$created" && ! "$created" < "$infra" ]]
}

hr_tested() {
  [[ "$(kc -n "$PLATFORM_NS" get helmrelease flotilla -o jsonpath='{.status.conditions[?(@.type=="TestSuccess")].status}')" == True ]]
}

# expect_failure TEXT CMD...: CMD must fail, saying TEXT (a negative control)
expect_failure() {
  local want=$1 out
  shift
  if out=$("$@" 2>&1); then
    fail "passed, but should have failed: $out"
    return 1
  fi
  grep -qF -- "$want" <<<"$out" || { fail "failed, but not with '$want': $out"; return 1; }
}

# A second up: nothing is rebuilt, pushed or upgraded, no pod is replaced.
scenario_second_up() {
  snapshot() {
    { kc get pods -A -o jsonpath='{range .items[*]}{.metadata.uid}{"\n"}{end}' | sort
      kc -n "$PLATFORM_NS" get helmrelease flotilla -o jsonpath='{.status.history[0].version}{"\n"}'
      crane_node ls "$REGISTRY/flotilla/hello"; crane_node digest "$REGISTRY/flotilla/manifests:local"; } >"$1"
  }
  second_up() {
    snapshot "$WORK/before" || return 1
    local t0=$SECONDS
    platform up >"$WORK/up2.log" 2>&1 || { tail -n 5 "$WORK/up2.log"; return 1; }
    note "second up in $((SECONDS - t0)) s"
    grep -q "already published" "$PSTATE/logs/publish.log" || { fail "the fleet was published again"; return 1; }
    snapshot "$WORK/after" && diff "$WORK/before" "$WORK/after"
  }
  check "a second up changes nothing: same pods, same release revision, same tags and manifests digest" second_up
}

# A stopped platform (every process, mount, the network namespace and cgroups gone, as after a
# reboot; the state kept) comes back with one `up`: nothing republished, the same release, every
# Flux object and pod Ready again. Its time is the warm `up` the issue bounds (a figure, not a check).
scenario_restart() {
  local release_before revision_before stopped_at
  release_before=$(hr deployed)
  revision_before=$(kc -n "$PLATFORM_NS" get helmrelease flotilla -o jsonpath='{.status.history[0].version}')
  stopped_kept() {
    stopped_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    platform stop >"$WORK/stop.log" 2>&1 || { tail -n 5 "$WORK/stop.log"; return 1; }
    local left
    left=$(leftovers "$CLUSTER")
    [[ "$left" == "state dir" ]] || fail "after stop: '$left' (want only the state dir)"
  }
  check "platform stop: no process, mount, network namespace or cgroup left; the state kept" stopped_kept
  restarted() {
    local t0=$SECONDS
    # from the checkout the change scenarios last published (their copy), as a user's next `up`
    # runs from the checkout they synced: the repository's own deploy/ would be a change
    PLATFORM_SOURCE=${SOURCE:-$ROOT} platform up >"$WORK/up-restart.log" 2>&1 || { tail -n 10 "$WORK/up-restart.log"; return 1; }
    RESTART_SECONDS=$((SECONDS - t0))
    note "up from a stopped platform in $RESTART_SECONDS s:"
    grep '^\[' "$WORK/up-restart.log" | sed 's/^/          /' >&3
    grep -q "already published" "$PSTATE/logs/publish.log" || fail "the fleet was published again"
  }
  check "platform up after stop: started again from its state, nothing republished" restarted
  # Ready read from the API could be what the pods said before the stop: their containers must
  # have started after it, on the restarted node
  started_after_stop() {
    kc -n "$PLATFORM_NS" get pods --field-selector=status.phase=Running -o json >"$WORK/pods-restarted.json" &&
      python3 "$ROOT/ci/lib/json-eval.py" "len(j['items']) > 0 and all(c['state']['running']['startedAt'] >= '$stopped_at' \
        for p in j['items'] for c in p['status']['containerStatuses'])" <"$WORK/pods-restarted.json"
  }
  check "every Flux object Ready again" all_flux_ready
  check "every pod Ready again" all_pods_ready
  check "the fleet's containers all started after the stop (up waited for the restart, not the API's old status)" \
    started_after_stop
  check "the deployed release is the one before the stop (chart and values: $release_before)" \
    sh -c '[ -n "$1" ] && [ "$1" = "$2" ]' _ "$release_before" "$(hr deployed)"
  check "the same release revision ($revision_before): no upgrade after the restart" \
    sh -c '[ -n "$1" ] && [ "$1" = "$2" ]' _ "$revision_before" "$(kc -n "$PLATFORM_NS" get helmrelease flotilla -o jsonpath='{.status.history[0].version}')"
  hr history | head -n 3 | sed 's/^/          /' >&3
}
