# shellcheck shell=bash
# Tier cluster: changing a release. MESSAGES through `helm upgrade` (and through the ConfigMap
# alone), a rolling update under load, bad releases rolled back by --atomic while a client keeps
# polling, `helm rollback` and `kubectl rollout undo`.

# hello_pods: the running hello pods, not those already terminating (they keep serving for
# SHUTDOWN_DELAY_MS after SIGTERM)
hello_pods() {
  kc -n "$NS" get pods -l app.kubernetes.io/name=hello --field-selector=status.phase=Running --no-headers \
    -o custom-columns=N:.metadata.name,D:.metadata.deletionTimestamp | awk '$2 == "<none>" { print $1 }' | sort | xargs
}

# messages_served TEXT: every running hello pod serves TEXT (each pod asked directly, from the
# cluster's network namespace).
messages_served() {
  local ip pods
  pods=$(hello_pods)
  [[ -n "$pods" ]] || return 1
  # shellcheck disable=SC2086 # pod names
  for ip in $(kc -n "$NS" get pods $pods -o jsonpath='{.items[*].status.podIP}'); do
    cluster exec curl -fsS --max-time 2 -H 'Accept: application/json' "http://$ip:8090/" | grep -qF "\"$1\"" || return 1
  done
}

MESSAGES_KEY=services.hello.configMap.data.messages

messages_by_upgrade() {
  local before after t0=$SECONDS
  before=$(hello_pods)
  release --set-string "$MESSAGES_KEY=Upgraded by helm" >/dev/null || fail "helm upgrade failed"
  eventually 60 messages_served "Upgraded by helm" || fail "the new messages are not served"
  after=$(hello_pods)
  local kept=0 p
  for p in $after; do [[ " $before " == *" $p "* ]] && kept=$((kept + 1)); done
  ((kept == 0)) || fail "expected the checksum/config roll to replace every pod; $kept kept"
  note "helm upgrade -> new messages served by new pods (checksum/config roll) in $((SECONDS - t0)) s"
}

messages_by_configmap() {
  local before t0=$SECONDS
  before=$(hello_pods)
  kc -n "$NS" patch configmap "$RELEASE-hello" --type=merge -p '{"data": {"messages": "Edited in the ConfigMap\n"}}' >/dev/null
  eventually 150 messages_served "Edited in the ConfigMap" || fail "the edited ConfigMap is not served"
  [[ "$(hello_pods)" == "$before" ]] || fail "pods changed: $before -> $(hello_pods)"
  note "ConfigMap edit -> served by the same pods (file hot reload, no restart) in $((SECONDS - t0)) s"
}

scenario_messages() {
  check "MESSAGES by helm upgrade: the checksum/config roll replaces the pods, new messages served" messages_by_upgrade
  check "MESSAGES by editing the ConfigMap: hot reload in the running pods, no restart" messages_by_configmap
  # back to the release's own values (the edit above is drift)
  release >/dev/null
}

# The same build under a second tag: a "new version" the pods report (CONTAINER_IMAGE).
tag_v2() {
  cluster exec ctr --address "$CTRD_SOCK" -n k8s.io images tag --force \
    "docker.io/flotilla/hello:$TAG" "docker.io/flotilla/hello:$TAG-v2" >/dev/null
}

rolling_update_under_load() {
  tag_v2 || fail "could not tag hello:$TAG-v2"
  poll_start 0.02
  sleep 2
  release --set "services.hello.image.tag=$TAG-v2" >/dev/null || { poll_stop; fail "helm upgrade failed"; }
  sleep 2
  poll_stop
  note "$(poll_get 'j["total"]') requests during the rollout, $(poll_get 'j["failed"]') failed; images: $(poll_get 'dict(j["images"])')"
  [[ "$(poll_get 'j["failed"]')" == 0 ]] || fail "failed requests: $(poll_get 'j["errors"]')"
  [[ "$(poll_get "j['images'].get('flotilla/hello:$TAG-v2', 0) > 0 and j['images'].get('flotilla/hello:$TAG', 0) > 0")" == True ]] ||
    fail "the client did not see both versions"
}

# bad_release DESC HELM-ARGS...: --atomic must fail and roll back while the client sees the good
# version serve throughout.
bad_release() {
  local good revision
  good=$(deploy_image hello)
  revision=$(hc history "$RELEASE" -n "$NS" --max 1 -o json | python3 "$ROOT/pipeline/lib/helm-revision.py" newest)
  poll_start 0.05
  if RELEASE_TIMEOUT=45s release "$@" >"$WORK/bad-release.log" 2>&1; then
    poll_stop
    fail "the bad release was accepted"
    return
  fi
  sleep 2
  poll_stop
  note "$(poll_get 'j["total"]') requests, $(poll_get 'j["failed"]') failed; images: $(poll_get 'dict(j["images"])')"
  [[ "$(deploy_image hello)" == "$good" ]] || fail "hello runs $(deploy_image hello), not $good"
  hc history "$RELEASE" -n "$NS" --max 1 | grep -q "Rollback to $revision" || fail "no rollback to $revision: $(hc history "$RELEASE" -n "$NS" --max 3)"
  [[ "$(poll_get 'j["failed"]')" == 0 ]] || fail "failed requests: $(poll_get 'j["errors"]')"
  [[ "$(poll_get "list(j['images'])")" == "['$good']" ]] || fail "the client saw other versions: $(poll_get 'dict(j["images"])')"
  # the rolled-back ReplicaSet's pod, never Ready, may still be terminating (SHUTDOWN_DELAY_MS,
  # then the drain): every pod Ready once it is gone
  eventually 60 all_ready "$NS"
}

helm_rollback() {
  local target
  # the last revision that ran the first image
  target=$(hc history "$RELEASE" -n "$NS" -o json | python3 "$ROOT/pipeline/lib/helm-revision.py" first-good)
  hc rollback "$RELEASE" "$target" -n "$NS" --wait --timeout 180s >/dev/null || fail "helm rollback failed"
  [[ "$(deploy_image hello)" == "flotilla/hello:$TAG" ]] || fail "after helm rollback hello runs $(deploy_image hello)"
  kc -n "$NS" rollout status "deploy/$RELEASE-hello" --timeout=60s >/dev/null
}

rollout_undo() {
  local before
  before=$(deploy_image hello)
  kc -n "$NS" rollout undo "deploy/$RELEASE-hello" >/dev/null || fail "rollout undo failed"
  kc -n "$NS" rollout status "deploy/$RELEASE-hello" --timeout=90s >/dev/null || fail "undo did not complete"
  [[ "$(deploy_image hello)" != "$before" ]] || fail "rollout undo left $before"
  note "$before -> $(deploy_image hello)"
}

scenario_releases() {
  check "rolling update under load (helm upgrade to :$TAG-v2): zero failed requests" rolling_update_under_load
  check "bad release, image that does not exist: --atomic rolls back, the old version serves throughout" \
    bad_release --set services.hello.image.tag=does-not-exist
  check "bad release, readiness never passes: --atomic rolls back, the old version serves throughout" \
    bad_release --set services.hello.probes.readiness.path=/never-ready
  check "helm rollback to the first release: hello runs :$TAG again" helm_rollback
  check "kubectl rollout undo: hello back on the previous ReplicaSet's image" rollout_undo
  # the release's own state again (undo is drift helm does not know about)
  release >/dev/null
}
