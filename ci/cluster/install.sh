# shellcheck shell=bash
# Tier cluster: the chart installed with its default values into a namespace that enforces
# restricted Pod Security, `helm test`, hello's page and the dashboard through the cluster.

privileged_pod() { # NAMESPACE: a privileged pod, only validated by the API server (dry run)
  kc apply --dry-run=server -f - <<YAML
apiVersion: v1
kind: Pod
metadata: {name: privileged-probe, namespace: $1}
spec:
  containers:
    - name: c
      image: $BUSYBOX_IMAGE
      securityContext: {privileged: true}
YAML
}

psa_rejects_privileged() {
  local out
  if out=$(privileged_pod "$NS" 2>&1); then fail "a privileged pod was accepted in $NS: $out"; fi
  grep -q 'violates PodSecurity "restricted' <<<"$out" || fail "rejected, but not by Pod Security: $out"
}

scenario_install() {
  kc create namespace "$NS" --dry-run=client -o yaml | kc apply -f - >/dev/null
  kc label namespace "$NS" --overwrite pod-security.kubernetes.io/enforce=restricted \
    pod-security.kubernetes.io/warn=restricted pod-security.kubernetes.io/audit=restricted >/dev/null
  kc create namespace flotilla-ci-open --dry-run=client -o yaml | kc apply -f - >/dev/null
  check "restricted Pod Security is enforced: a privileged pod is rejected in $NS" psa_rejects_privileged
  check "(control) the same privileged pod is accepted in a namespace without enforcement" \
    privileged_pod flotilla-ci-open
  local t0=$SECONDS
  gate "helm upgrade --install --atomic --wait (default values, images :$TAG)" release || return 1
  note "installed in $((SECONDS - t0)) s"
  check "every pod of the release is Ready" all_ready "$NS"
}

helm_test() { hc test "$RELEASE" -n "$NS" --timeout 120s; }

# Negative control: hello's NetworkPolicy without the client peer refuses the test pod, so
# `helm test` must fail; the policy is then restored as the release has it.
helm_test_fails_when_blocked() {
  kc -n "$NS" get networkpolicy "$RELEASE-hello" -o json >"$WORK/np-hello.json"
  kc -n "$NS" patch networkpolicy "$RELEASE-hello" --type=json \
    -p '[{"op": "replace", "path": "/spec/ingress/0/from", "value": [{"podSelector": {"matchLabels": {"nobody": "x"}}}]}]' >/dev/null
  sleep 3 # the enforcer applies the change
  local rc=0
  hc test "$RELEASE" -n "$NS" --timeout 60s --filter "name=$RELEASE-hello-test" >"$WORK/helm-test-blocked.log" 2>&1 || rc=$?
  kc replace --force -f "$WORK/np-hello.json" >/dev/null
  ((rc != 0)) || fail "helm test passed although hello's NetworkPolicy shut the test pod out"
}

scenario_helm_test() {
  check "helm test passes (every service through its Service, web through nginx to stats)" helm_test
  check "(control) helm test fails when hello's NetworkPolicy shuts its test pod out" helm_test_fails_when_blocked
}

# hello's page: the pod, namespace, node and image it reports are the real ones.
hello_page() {
  port_forward "$RELEASE-hello" || return 1
  local page
  page=$(curl -fsS --max-time 5 -H 'Accept: application/json' "http://127.0.0.1:$PF_PORT/") || { port_forward_stop; fail "GET / failed"; }
  curl -fsS --max-time 5 "http://127.0.0.1:$PF_PORT/" >"$WORK/hello.html"
  port_forward_stop
  local pods
  pods=$(kc -n "$NS" get pods -l app.kubernetes.io/name=hello -o jsonpath='{.items[*].metadata.name}')
  python3 "$ROOT/ci/cluster/hello-page.py" "$page" "$pods" "$NS" "$NODE_NAME" "flotilla/hello:$TAG" "$WORK/hello.html" ||
    fail "hello's page: $page"
}

dashboard() {
  port_forward "$RELEASE-web" || return 1
  local base="http://127.0.0.1:$PF_PORT" ok=0
  curl -fsS --max-time 5 "$base/" | grep -qi '<html' || { echo "no HTML at /"; ok=1; }
  curl -fsS --max-time 5 "$base/stats" | python3 "$ROOT/ci/lib/json-eval.py" '"cpu" in j and "ram" in j' ||
    { echo "/stats through nginx: no cpu/ram"; ok=1; }
  # SSE: the first event arrives within one sample interval; curl ends the stream after 5 s
  curl -sS -N --max-time 5 -H 'Accept: text/event-stream' "$base/stats/stream" >"$WORK/sse.txt" 2>/dev/null
  grep -q '^data: {.*"cpu"' "$WORK/sse.txt" || { echo "/stats/stream: no event: $(head -c 300 "$WORK/sse.txt")"; ok=1; }
  port_forward_stop
  ((ok == 0)) || fail "dashboard checks failed"
}

scenario_pages() {
  check "hello's page shows the real pod, namespace, node and image (downward API)" hello_page
  check "the dashboard: page, /stats and /stats/stream (SSE) through web's nginx" dashboard
}
