# shellcheck shell=bash
# Changes through the platform's source, while the client polls hello from inside the cluster:
#   change       new MESSAGES in local's values, published (platform sync): served, no request
#                failed; the lead time, publish to served, measured
#   bad release  hello cannot start (MESSAGES_RELOAD_MS below its minimum): helm-controller's upgrade
#                fails and is rolled back, the client sees no failure; the time to restore measured;
#                the fix published brings the release back to Ready

MSG_BOOT="Hello from the Flotilla platform"
MSG_NEW="Hello from the Flotilla platform, after a change"
LOCAL_VALUES=deploy/flux/apps/local/release/flotilla-values.yaml

scenario_change() {
  gate "a copy of deploy/ to publish from" source_init || return 1
  check "edit: hello's first message in local's values" source_edit "$LOCAL_VALUES" "$MSG_BOOT\n" "$MSG_NEW\n"
  local t0 t_served
  t0=$(now)
  check "platform sync: the change published as a new signed manifests artifact and reconciled" source_publish
  if gate "the client is served the new message" eventually 180 python3 "$ROOT/ci/lib/poll.py" first "$POLL_LOG" "$MSG_NEW" "$t0"; then
    t_served=$(python3 "$ROOT/ci/lib/poll.py" first "$POLL_LOG" "$MSG_NEW" "$t0")
    LEAD_TIME=$(elapsed "$t0" "$t_served")
    note "lead time, publish to served: $LEAD_TIME s"
    check "no request failed while the pods rolled (client)" poll_window "$t0" "$(now)"
    check "the record tells the messages apart: the first message is gone (negative control)" \
      expect_failure "without" poll_window "$t_served" "$(now)" --expect "$MSG_BOOT"
  fi
}

rolled_back_within() { EVERY=2 eventually "$1" hr rolled-back; }

scenario_bad_release() {
  local t0 good
  good=$(hr deployed) || { fail "no deployed release"; return; }
  check "edit: hello's env broken (MESSAGES_RELOAD_MS: 0, below its minimum)" \
    source_edit "$LOCAL_VALUES" "  hello:\n    configMap:\n" "  hello:\n    env: { MESSAGES_RELOAD_MS: \"0\" }\n    configMap:\n"
  t0=$(now)
  # the sync waits for everything Ready, which this release never is: in the background
  PLATFORM_SOURCE=$SOURCE platform sync >"$WORK/sync-broken.log" 2>&1 &
  local sync_pid=$!
  check "platform sync: the broken release published" eventually 120 grep -q "manifests published" "$WORK/sync-broken.log"
  if gate "helm-controller's upgrade fails and is rolled back (Remediated: RollbackSucceeded)" rolled_back_within 300; then
    RESTORE_TIME=$(elapsed "$t0" "$(now)")
    note "time to restore (publish to rolled back): $RESTORE_TIME s"
  fi
  kill "$sync_pid" 2>/dev/null; wait "$sync_pid" 2>/dev/null
  check "the deployed release is the last good one ($good)" sh -c '[ "$1" = "$2" ]' _ "$(hr deployed)" "$good"
  check "the previous messages were served throughout, no request failed (client)" \
    poll_window "$t0" "$(now)" --expect "$MSG_NEW"
  hr history | sed 's/^/          /' >&3
  check "edit: the fix" source_edit "$LOCAL_VALUES" "    env: { MESSAGES_RELOAD_MS: \"0\" }\n" ""
  check "platform sync: the fix published, the release Ready again" source_publish
  check "no request failed from the broken release to the fix (client)" poll_window "$t0" "$(now)" --expect "$MSG_NEW"
}
