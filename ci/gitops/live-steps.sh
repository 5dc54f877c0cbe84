# shellcheck shell=bash
# The scenario of tier gitops' live half (sourced by ci/gitops/live.sh): each step is a commit to
# the git server's repository and what Flux must then do. The client started after bootstrap
# (ci/lib/poll.py) records every answer of hello's Service; steps check its record.

DEV_VALUES=deploy/flux/apps/dev/flotilla-values.yaml
DEV_NS=flotilla-dev
SOURCE_INTERVAL_S=60 # GitRepository flux-system's interval in clusters/dev (checked below)
MSG_BOOT="Hello from Flotilla dev"
MSG_NEW="Hello from Flotilla dev, second commit"

# wait_for SECONDS CMD...: the harness's eventually, every 2 s (each try is a kubectl).
wait_for() { EVERY=2 eventually "$@"; }

hr_json() { kc -n "$DEV_NS" get helmrelease flotilla -o json; }
# hr_field PYTHON-EXPR: evaluates EXPR on the HelmRelease (hr), with cond(type) -> condition dict.
hr_field() {
  hr_json | "$PY" -c 'import json, sys
hr = json.load(sys.stdin)
def cond(t):
    return next((c for c in hr.get("status", {}).get("conditions", []) if c["type"] == t), {})
print(eval(sys.argv[1]))' "$1"
}
hr_true() { [[ "$(hr_field "$1")" == True ]]; }
hr_history() {
  echo "  --- HelmRelease history (newest first)"
  hr_json | "$PY" -c 'import json, sys
for h in json.load(sys.stdin)["status"]["history"]:
    print("  v%s %-10s chart %s values %s" % (h["version"], h["status"], h["chartVersion"], h["configDigest"][7:19]))'
}

elapsed() { "$PY" -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$2"; }
now() { date +%s.%N; }

# ---------------------------------------------------------------- bootstrap
bootstrap_commit() {
  # what `flux bootstrap git --url=$GIT_URL --path=deploy/flux/clusters/dev` commits, and the
  # image tag the pipeline built and loaded (the containers tier's `ci`, as load-images reads it);
  # dev's upstream add-ons (infrastructure/upstream: charts and images from the internet, which
  # this cluster cannot reach) are left out: the offline checks cover them (docs/gitops.md)
  live_edit deploy/flux/clusters/dev/flux-system/gotk-sync.yaml \
    "text.replace('url: https://git.example.com/flotilla/flotilla.git', 'url: $GIT_URL')" &&
    live_edit "$DEV_VALUES" "text.replace('tag: \"0.1.0\"', 'tag: \"${FLOTILLA_IMAGE_TAG:-ci}\"', 1)" &&
    live_edit "$DEV_VALUES" "text.replace('imageRegistry: registry.example.com/flotilla', 'imageRegistry: flotilla', 1)" &&
    live_edit deploy/flux/infrastructure/dev/kustomization.yaml \
      "''.join(l for l in text.splitlines(True) if '../upstream/' not in l)" &&
    live_commit "bootstrap: this git server, images built by CI, no upstream add-ons"
}

bootstrap_apply() {
  # bootstrap's Secret (here the git server's basic auth) and its gotk-sync.yaml, applied once
  kc -n flux-system create secret generic flux-system --from-literal=username="$GIT_USER" \
    --from-literal=password="$GIT_PASSWORD" --dry-run=client -o yaml | kc apply -f - >/dev/null &&
    kustomize build "$LIVE_STATE/work/deploy/flux/clusters/dev/flux-system" | kc apply --server-side -f - >/dev/null
}

infrastructure_ready() {
  ready kustomization flux-system flux-system "$PUSHED_REV" && ready kustomization infrastructure flux-system "$PUSHED_REV"
}

source_interval_is() {
  [[ "$(kc -n flux-system get gitrepository flux-system -o jsonpath='{.spec.interval}')" == "1m0s" ]]
}

depends_on_order() {
  # the HelmRelease (applied by apps) was created after infrastructure became Ready
  local infra hr
  infra=$(kc -n flux-system get kustomization infrastructure -o jsonpath='{.status.conditions[?(@.type=="Ready")].lastTransitionTime}')
  hr=$(kc -n "$DEV_NS" get helmrelease flotilla -o jsonpath='{.metadata.creationTimestamp}')
  echo "infrastructure Ready at $infra, HelmRelease created at $hr"
  [[ -n "$infra" && -n "$hr" && ! "$hr" < "$infra" ]]
}

fleet_available() {
  local d
  for d in $(kc -n "$DEV_NS" get deployments -o name); do
    kc -n "$DEV_NS" rollout status "$d" --timeout 5s >/dev/null || { echo "$d not available"; return 1; }
  done
  deployments_are 5 || { kc -n "$DEV_NS" get deployments; return 1; }
}

poller_start() {
  local ip
  ip=$(kc -n "$DEV_NS" get service flotilla-hello -o jsonpath='{.spec.clusterIP}') || return 1
  POLL_LOG=$LIVE_STATE/poll.jsonl
  ip netns exec "$CLUSTER_NETNS" "$PY" ci/lib/poll.py run "http://$ip/" "$POLL_LOG" --interval 0.25 >"$LIVE_STATE/poll.out" 2>&1 &
  POLL_PID=$!
  wait_for 60 "$PY" ci/lib/poll.py first "$POLL_LOG" "$MSG_BOOT"
}

live_bootstrap() {
  phase "live: bootstrap clusters/dev"
  gate "bootstrap commit: gotk-sync.yaml names the git server, dev's values the images CI built" bootstrap_commit || return 1
  local t0
  t0=$(now)
  gate "bootstrap: Secret flux-system and clusters/dev/flux-system applied" bootstrap_apply || return 1
  check "GitRepository flux-system Ready at the pushed commit (basic auth over HTTP)" \
    wait_for 120 ready gitrepository flux-system flux-system "$PUSHED_REV"
  check "GitRepository flux-system polls every 1m (the interval the MESSAGES step is held to)" source_interval_is
  check "Kustomizations flux-system, infrastructure Ready at the pushed commit" wait_for 180 infrastructure_ready
  # the rest of the scenario needs the fleet: stop here if it never came up
  gate "HelmRelease flotilla Ready: installed, every pod Ready, helm tests passed" wait_for 600 ready helmrelease flotilla "$DEV_NS" ||
    { flux_status; return 1; }
  check "Kustomization apps Ready (its health check on the HelmRelease passed)" \
    wait_for 120 ready kustomization apps flux-system "$PUSHED_REV"
  echo "  the fleet was Ready $(elapsed "$t0" "$(now)") s after bootstrap's apply"
  check "dependsOn: the HelmRelease was applied only after infrastructure was Ready" depends_on_order
  check "helm tests ran and passed (TestSuccess)" hr_true 'cond("TestSuccess").get("status")'
  check "every Deployment of the fleet is available" fleet_available
  flux_status
  gate "a client polling hello's Service gets dev's messages" poller_start
  check "the client's record shows failed requests when there is no server (negative control)" poller_sees_failures
}

poller_sees_failures() {
  local log=$LIVE_STATE/poll-closed.jsonl t0 pid
  t0=$(now)
  ip netns exec "$CLUSTER_NETNS" "$PY" ci/lib/poll.py run "http://127.0.0.1:$GIT_PORT/nothing-here" "$log" --interval 0.25 >/dev/null 2>&1 &
  pid=$!
  sleep 1.5
  kill "$pid"
  wait "$pid" 2>/dev/null
  expect_failure "failed" "$PY" ci/lib/poll.py window "$log" "$t0" "$(now)"
}

# ---------------------------------------------------------------- flux diff
# `flux diff ks` compares what a Kustomization would apply with the cluster: the HelmRelease, not
# the chart's render (values files are part of the chart; their changes are previewed by the
# offline `helm template`). So the change it must report is one to the HelmRelease itself.
diff_clean() { fluxc diff ks apps --path "$LIVE_STATE/work/deploy/flux/apps/dev" --progress-bar=false; }
diff_reports_change() {
  local out rc
  out=$(fluxc diff ks apps --path "$LIVE_STATE/work/deploy/flux/apps/dev" --progress-bar=false 2>&1)
  rc=$?
  echo "$out"
  ((rc == 1)) || fail "flux diff exited $rc, expected 1 (changes)"
  grep -q "120s" <<<"$out" || fail "the diff does not show the new upgrade timeout"
}

live_diff() {
  phase "live: flux diff"
  check "flux diff ks apps: the deployed tree has no drift (exit 0)" diff_clean
  live_edit deploy/flux/apps/dev/release-patch.yaml "text.replace('timeout: 90s', 'timeout: 120s', 1)" ||
    fail "editing dev's release"
  check "flux diff ks apps: reports an uncommitted change to the HelmRelease (exit 1)" diff_reports_change
  git -C "$LIVE_STATE/work" checkout -q -- deploy/flux/apps/dev/release-patch.yaml
}

# ---------------------------------------------------------------- MESSAGES
live_messages() {
  phase "live: a commit changes MESSAGES"
  local t_src t_hr t_served
  live_edit "$DEV_VALUES" "text.replace('$MSG_BOOT\n', '$MSG_NEW\n', 1)" || fail "editing the messages"
  check "commit: hello's messages changed in dev's values" live_commit "hello: a new message for dev"
  check "source-controller fetched the commit" wait_for 120 ready gitrepository flux-system flux-system "$PUSHED_REV"
  t_src=$(now)
  gate "helm-controller upgraded the release to the commit's chart and values" \
    wait_for 240 ready helmrelease flotilla "$DEV_NS" "${PUSHED_REV:0:12}" || { flux_status; return 1; }
  t_hr=$(now)
  if check "the client is served the new message" wait_for 120 "$PY" ci/lib/poll.py first "$POLL_LOG" "$MSG_NEW" "$PUSHED_AT"; then
    t_served=$("$PY" ci/lib/poll.py first "$POLL_LOG" "$MSG_NEW" "$PUSHED_AT")
    MESSAGES_LATENCY=$(elapsed "$PUSHED_AT" "$t_served")
    echo "  push -> source $(elapsed "$PUSHED_AT" "$t_src") s (observed), -> release upgraded $(elapsed "$PUSHED_AT" "$t_hr") s," \
      "-> new message served $MESSAGES_LATENCY s (bound: the 1m interval + the 90 s upgrade timeout)"
    check "served within $((SOURCE_INTERVAL_S + 90)) s of the push (it took $MESSAGES_LATENCY s)" \
      "$PY" -c "import sys; sys.exit(float(sys.argv[1]) > float(sys.argv[2]))" "$MESSAGES_LATENCY" $((SOURCE_INTERVAL_S + 90))
    check "no request failed while the pods rolled (client)" \
      "$PY" ci/lib/poll.py window "$POLL_LOG" "$PUSHED_AT" "$(now)"
    check "the client's record tells the messages apart (negative control: dev's first message is gone)" \
      expect_failure "without" "$PY" ci/lib/poll.py window "$POLL_LOG" "$t_served" "$(now)" --expect "$MSG_BOOT"
  fi
  flux_status
}

# ---------------------------------------------------------------- a broken release
live_broken() {
  phase "live: a commit breaks the release"
  local good_chart t0
  # the chart (with its values files) of the release serving now (history, newest first)
  good_chart=$(hr_field 'hr["status"]["history"][0]["chartVersion"]')
  # MESSAGES_RELOAD_MS below its minimum (100): hello's config check refuses to start.
  live_edit "$DEV_VALUES" "text.replace('\n  hello:\n', '\n  hello:\n    env: { MESSAGES_RELOAD_MS: \"0\" }\n', 1)" ||
    fail "editing hello's env"
  check "commit: hello's env broken (MESSAGES_RELOAD_MS: 0)" live_commit "hello: reload messages continuously (broken)"
  t0=$PUSHED_AT
  gate "helm-controller's upgrade fails and is rolled back (Remediated: RollbackSucceeded)" \
    wait_for 300 hr_true 'cond("Remediated").get("reason") == "RollbackSucceeded" and "'"${PUSHED_REV:0:12}"'" in hr["status"].get("lastAttemptedRevision", "")' ||
    { flux_status; return 1; }
  echo "  rolled back $(elapsed "$t0" "$(now)") s after the push"
  check "it retried once, rolled back again, and stopped (Stalled: RetriesExceeded, 2 failures)" \
    wait_for 300 hr_true 'cond("Stalled").get("reason") == "RetriesExceeded" and hr["status"].get("upgradeFailures") == 2'
  echo "  retries exhausted $(elapsed "$t0" "$(now)") s after the push"
  check "the release deployed is the last good one ($good_chart), the broken commit's failed (history)" \
    hr_true 'hr["status"]["history"][0]["status"] == "deployed" and hr["status"]["history"][0]["chartVersion"] == "'"$good_chart"'" and any(h["status"] == "failed" and "'"${PUSHED_REV:0:12}"'" in h["chartVersion"] for h in hr["status"]["history"])'
  hr_history
  check "the previous messages were served throughout, no request failed (client)" \
    "$PY" ci/lib/poll.py window "$POLL_LOG" "$t0" "$(now)" --expect "$MSG_NEW"
  flux_status
  check "commit: revert the broken change" sh -c "git -C '$LIVE_STATE/work' revert --no-edit HEAD >/dev/null && git -C '$LIVE_STATE/work' push -q origin main"
  PUSHED_REV=$(git -C "$LIVE_STATE/work" rev-parse HEAD)
  check "the revert brings the release back to Ready" wait_for 300 ready helmrelease flotilla "$DEV_NS" "${PUSHED_REV:0:12}"
  check "no request failed from the broken commit to the revert's release (client)" \
    "$PY" ci/lib/poll.py window "$POLL_LOG" "$t0" "$(now)" --expect "$MSG_NEW"
}

# ---------------------------------------------------------------- a removed service
store_objects() { kc -n "$DEV_NS" get deploy,rs,pod,svc,sa,cm,secret,netpol,ing,hpa,pdb -l app.kubernetes.io/name=store -o name; }
store_exists() { [[ -n "$(store_objects)" ]]; }
deployments_are() { [[ "$(kc -n "$DEV_NS" get deployments -o name | wc -l)" -eq "$1" ]]; }
store_gone() {
  local left
  left=$(store_objects) || return 1
  [[ -z "$left" ]] || { echo "left: $left"; return 1; }
}

live_prune() {
  phase "live: a commit removes a service"
  check "store's objects exist before" store_exists
  live_edit "$DEV_VALUES" "text.replace('\nservices:\n', '\nservices:\n  store:\n    enabled: false\n', 1)" ||
    fail "editing store's block"
  local t0
  check "commit: store disabled in dev's values" live_commit "store: not in dev"
  t0=$PUSHED_AT
  check "the release is upgraded without store" wait_for 240 ready helmrelease flotilla "$DEV_NS" "${PUSHED_REV:0:12}"
  check "every object of store is deleted (Deployment, Service, ServiceAccount, NetworkPolicy, pods...)" wait_for 120 store_gone
  check "the other four services are still deployed" deployments_are 4
  check "no request to hello failed meanwhile (client)" "$PY" ci/lib/poll.py window "$POLL_LOG" "$t0" "$(now)" --expect "$MSG_NEW"
  flux_status
}
