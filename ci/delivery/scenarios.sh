# shellcheck shell=bash
# The delivery tier's scenarios: the pipeline (pipeline/pipeline) run from real commits of a
# throwaway clone, inside the cluster's network namespace (where the registry and the API server
# are), against the real registry and the real cluster. Sourced by ci/tier-delivery.sh after the
# harness, registry.sh and cluster.sh; uses STATE, CLONE, REG, PIPELINE_ENV.

# commit MESSAGE: commits the clone's changes; prints the new HEAD.
commit() {
  git -C "$CLONE" add -A && git -C "$CLONE" commit -qm "$1" && git -C "$CLONE" rev-parse HEAD
}

# run_step OUT STEP ARGS...: one pipeline script in the clone, in the cluster's netns, with the
# pipeline's environment and FLOTILLA_OUT=OUT.
run_step() {
  local out=$1 step=$2
  shift 2
  in_cluster env "${PIPELINE_ENV[@]}" FLOTILLA_OUT="$out" bash "$CLONE/pipeline/$step" "$@"
}

# pipeline NAME BASE: the whole pipeline for the clone's HEAD since BASE; its output in out-NAME,
# its log in NAME.log; returns the pipeline's status. The timeline is kept for the summary.
pipeline() {
  local name=$1 base=$2 rc=0
  rm -rf "$STATE/out-$name"
  run_step "$STATE/out-$name" pipeline "$base" >"$STATE/$name.log" 2>&1 || rc=$?
  { echo "pipeline '$name':"; sed -n '/^ *[0-9]* s  /p' "$STATE/$name.log"; } >>"$STATE/timelines.txt"
  return $rc
}

# deployed_digest SVC: the image digests the pods of SVC run (one a line, sorted, unique).
# (Pods being deleted are left out: a rollout's old pods drain for a while after it completes.)
deployed_digest() {
  kube get pods -n "$NAMESPACE" -l "app.kubernetes.io/instance=$RELEASE,app.kubernetes.io/name=$1" -o json |
    python3 "$ROOT/pipeline/lib/pod-images.py" digests -
}

pod_uids() {
  kube get pods -n "$NAMESPACE" -l "app.kubernetes.io/instance=$RELEASE,app.kubernetes.io/name=$1" \
    -o jsonpath='{range .items[*]}{.metadata.uid}{"\n"}{end}' | sort
}

revision() { in_cluster helm history "$RELEASE" -n "$NAMESPACE" -o json | python3 "$ROOT/pipeline/lib/helm-revision.py" newest; }

# --- scenario 1: a full run from a commit -----------------------------------------------------
full_run() {
  # The first push of a branch: GitHub's "before" is all zeros, so there is no base and every
  # member is delivered (whatever origin/main is in this clone).
  pipeline full 0000000000000000000000000000000000000000 || { tail -n 30 "$STATE/full.log"; fail "the pipeline failed (log: $STATE/full.log)"; return 1; }
  git -C "$CLONE" rev-parse HEAD >"$STATE/full-run.sha" # the commit its tags name (handover.sh)
  local all svc want got
  all=$("$NODE" scripts/registry.ts names | sort | tr '\n' ' ')
  [[ "$(sort "$STATE/out-full/changed.txt" | tr '\n' ' ')" == "$all" ]] || fail "not every service was delivered: $(cat "$STATE/out-full/changed.txt")"
  for svc in $all; do
    want=$(sed 's/.*@//' "$STATE/out-full/pushed/$svc" 2>/dev/null)
    got=$(deployed_digest "$svc")
    [[ -n "$want" && "$got" == "$want" ]] || fail "$svc: pods run '${got//$'\n'/ }', pushed '$want'"
  done
}

# --- scenario 2: a commit touching only services/stats ---------------------------------------
stats_only() {
  local base hello_before stats_before rev_before
  base=$(git -C "$CLONE" rev-parse HEAD)
  echo "// a stats-only change (tier delivery)" >>"$CLONE/services/stats/src/main.ts"
  commit "stats: a change of its own" >/dev/null || return 1
  hello_before=$(pod_uids hello)
  stats_before=$(deployed_digest stats)
  rev_before=$(revision)
  pipeline stats-only "$base" || { tail -n 30 "$STATE/stats-only.log"; fail "the pipeline failed"; return 1; }
  [[ "$(cat "$STATE/out-stats-only/changed.txt")" == stats ]] || fail "changed: $(cat "$STATE/out-stats-only/changed.txt"), want stats"
  local pushed=() f
  for f in "$STATE"/out-stats-only/pushed/*; do [[ "$f" == *.log ]] || pushed+=("$(basename "$f")"); done
  [[ "${pushed[*]}" == stats ]] || fail "pushed: '${pushed[*]}', want only stats"
  grep -q 'build-images: stats:' "$STATE/stats-only.log" || fail "stats was not built"
  grep -qE 'build-images: (hello|web|store|routeguide):' "$STATE/stats-only.log" && fail "another service was built"
  [[ "$(deployed_digest stats)" == "$(sed 's/.*@//' "$STATE/out-stats-only/pushed/stats")" ]] || fail "stats pods do not run the new digest"
  [[ "$(deployed_digest stats)" != "$stats_before" ]] || fail "stats still runs the old digest"
  [[ "$(pod_uids hello)" == "$hello_before" ]] || fail "hello's pods were replaced"
  (($(revision) == rev_before + 1)) || fail "helm revision $(revision), want $((rev_before + 1))"
}

# --- scenario 3: a release whose smoke test fails is rolled back ----------------------------------
bad_release() {
  local base hello_before rev_before poll_pid stop=$STATE/poll.stop url
  base=$(git -C "$CLONE" rev-parse HEAD)
  sed -i 's/send("hello\\n")/send("goodbye\\n")/' "$CLONE/services/hello/src/routes/hello.ts"
  grep -q goodbye "$CLONE/services/hello/src/routes/hello.ts" || { fail "could not plant the bad /hello"; return 1; }
  commit "hello: a release that breaks /hello" >/dev/null || return 1
  hello_before=$(deployed_digest hello)
  rev_before=$(revision)
  # a client polling hello's page through its Service for the whole release and rollback
  url="http://$(kube get svc -n "$NAMESPACE" "$RELEASE-hello" -o jsonpath='{.spec.clusterIP}'):80/"
  rm -f "$stop"
  in_cluster python3 "$ROOT/ci/lib/poll.py" run "$url" "$STATE/poll.jsonl" --interval 0.2 --stop-file "$stop" --max-seconds 900 >"$STATE/poll.log" 2>&1 &
  poll_pid=$!
  if pipeline bad "$base"; then fail "the pipeline passed a release whose smoke test fails"; fi
  touch "$stop"
  wait "$poll_pid" || fail "the polling client saw failures: $(tail -n 3 "$STATE/poll.log")"
  echo "        $(tail -n 1 "$STATE/poll.log") (GET $url during deploy, smoke, rollback)"
  grep -q 'smoke failed: rolled back' "$STATE/bad.log" || fail "no rollback in the log"
  grep -q 'helm test failed 3 times' "$STATE/bad.log" || fail "smoke did not fail on helm test"
  [[ "$(deployed_digest hello)" == "$hello_before" ]] || fail "hello runs $(deployed_digest hello), not the previous $hello_before"
  (($(revision) == rev_before + 2)) || fail "helm revision $(revision), want $((rev_before + 2)) (upgrade + rollback)"
}

# --- scenario 4: an unsigned (and a tampered) image is refused by deploy -----------------------
unsigned_refused() {
  local out=$STATE/out-unsigned rev_before signed unsigned
  rev_before=$(revision)
  signed=$(cat "$STATE/out-full/pushed/hello")
  mkdir -p "$out/pushed"
  # pushed by hand, bypassing the pipeline: the same image with one label more, never signed
  unsigned=$(in_cluster env "${PIPELINE_ENV[@]}" crane mutate --label org.flotilla.by-hand=true -t "${signed%@*}:by-hand" "$signed") ||
    { fail "crane mutate failed"; return 1; }
  echo "$unsigned" >"$out/pushed/hello"
  if run_step "$out" deploy hello >"$STATE/unsigned.log" 2>&1; then fail "deploy accepted an unsigned image"; fi
  grep -q "REFUSED ${unsigned}" "$STATE/unsigned.log" || fail "no refusal in: $(tail -n 2 "$STATE/unsigned.log")"
  # tampered: the signed image's signature copied onto the unsigned image's signature tag
  local sig_src sig_dst
  sig_src="${signed%@*}:sha256-${signed#*@sha256:}.sig"
  sig_dst="${signed%@*}:sha256-${unsigned#*@sha256:}.sig"
  in_cluster env "${PIPELINE_ENV[@]}" crane copy "$sig_src" "$sig_dst" >/dev/null 2>&1 || { fail "crane copy of the signature failed"; return 1; }
  if run_step "$out" deploy hello >"$STATE/tampered.log" 2>&1; then fail "deploy accepted a signature made for another image"; fi
  grep -q "REFUSED ${unsigned}" "$STATE/tampered.log" || fail "no refusal in: $(tail -n 2 "$STATE/tampered.log")"
  (($(revision) == rev_before)) || fail "a refused deploy changed the release (revision $(revision))"
}
