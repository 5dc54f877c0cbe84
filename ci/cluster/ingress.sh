# shellcheck shell=bash
# Tier cluster: the chart's Ingresses served by the cluster's ingress controller (traefik,
# deploy/cluster/manifests/traefik.yaml), reached from the host through `kubectl port-forward`
# to its Service with the Host of the chart's Ingress. The release carries the cluster's values
# (deploy/cluster/values.yaml: the IngressClass, the NetworkPolicy peer of the controller).

# ingress_get PATH [HOST]: "<status> <body>" of GET PATH through the controller.
ingress_get() {
  curl -sS --max-time 10 -o "$WORK/ingress-body" -w '%{http_code}' -H "Host: ${2:-$INGRESS_HOST}" \
    "http://127.0.0.1:$INGRESS_PORT$1" 2>&1
  printf ' '
  head -c 2000 "$WORK/ingress-body" 2>/dev/null
}

# service_get SERVICE PATH: the body of GET PATH from the service's ClusterIP (the same request
# without the controller, from the cluster's network namespace).
service_get() {
  local ip
  ip=$(kc -n "$NS" get svc "$RELEASE-$1" -o jsonpath='{.spec.clusterIP}') || return 1
  cluster exec curl -fsS --max-time 5 "http://$ip$2"
}

ingresses_name_the_class() {
  local classes
  classes=$(kc -n "$NS" get ingress -o jsonpath='{range .items[*]}{.metadata.name}={.spec.ingressClassName}{"\n"}{end}')
  echo "$classes"
  [[ -n "$classes" ]] || fail "no Ingress in $NS"
  ! grep -v '=traefik$' <<<"$classes" || fail "Ingresses of another class"
  [[ "$(kc get ingressclass traefik -o jsonpath='{.spec.controller}')" == traefik.io/ingress-controller ]] ||
    fail "no IngressClass traefik for traefik's controller"
}

unknown_host_404() {
  local out
  out=$(ingress_get / unknown.invalid)
  [[ "$out" == "404 404 page not found"* ]] || fail "unknown Host: $out"
}

# serves PATH SERVICE: 200 through the controller, and the same body as the service's own.
serves() {
  local out direct
  out=$(ingress_get "$1")
  [[ "$out" == "200 "* ]] || fail "GET $1 through the ingress: $out"
  direct=$(service_get "$2" "$1") || fail "GET $1 from $2's Service failed"
  [[ "${out#200 }" == "${direct:0:2000}" ]] || fail "GET $1: the ingress served something else than $2: ${out:0:300}"
}

stats_sample() {
  local out
  out=$(ingress_get /stats)
  [[ "$out" == "200 "* ]] || fail "GET /stats: $out"
  python3 "$ROOT/ci/lib/json-eval.py" '"cpu" in j and "ram" in j' <<<"${out#200 }" ||
    fail "/stats is not stats' sample: ${out:0:300}"
}

# Two events through the controller, each as it is sent (one sample interval apart: 1 s), not
# together as a buffering proxy would deliver them.
sse_through_ingress() {
  local out
  out=$(python3 "$ROOT/ci/cluster/sse.py" "http://127.0.0.1:$INGRESS_PORT/stats/stream" "$INGRESS_HOST" 3 10) ||
    fail "fewer than 3 events within 10 s: $out"
  echo "$out"
  local at
  at=$(python3 "$ROOT/ci/cluster/sse.py" streamed "$out") || fail "events not streamed: $out"
  note "SSE through traefik: ${at#events at }"
}

# The controller cannot reach a backend its NetworkPolicy does not admit: it answers 502/504.
refused() {
  local out
  out=$(ingress_get "$1")
  [[ "$out" == 502\ * || "$out" == 504\ * ]] || fail "GET $1 through the ingress: $out (expected 502/504)"
}
all_refused() { refused / && refused /stats && refused /hello; }
all_served() { serves / web && serves /hello hello && stats_sample; }

# Control: web's Ingress without its router priority. traefik ranks routers by rule length, so
# the catch-all `/` outranks the exact /hello and web answers it (nginx's redirect to /hello/).
# The annotation is then put back as the chart renders it.
PRIORITY_KEY=traefik.ingress.kubernetes.io/router.priority
hello_shadowed_without_priority() {
  local prio out
  prio=$(kc -n "$NS" get ingress "$RELEASE-web" -o jsonpath="{.metadata.annotations.${PRIORITY_KEY//./\\.}}")
  [[ -n "$prio" ]] || fail "web's Ingress has no $PRIORITY_KEY"
  kc -n "$NS" annotate ingress "$RELEASE-web" "$PRIORITY_KEY-" >/dev/null
  shadowed() { out=$(ingress_get /hello) && [[ "${out#* }" != "$(service_get hello /hello)" ]]; }
  eventually 20 shadowed || fail "/hello still hello's without the priority: $out"
  echo "without the priority, /hello: ${out:0:120}"
  kc -n "$NS" annotate ingress "$RELEASE-web" --overwrite "$PRIORITY_KEY=$prio" >/dev/null
  eventually 20 serves /hello hello || fail "/hello not hello's again after the priority was restored"
}

INGRESS_PORT=""
scenario_ingress() {
  INGRESS_HOST=$(kc -n "$NS" get ingress "$RELEASE-web" -o jsonpath='{.spec.rules[0].host}')
  check "the release's Ingresses name the IngressClass traefik (traefik.io/ingress-controller)" ingresses_name_the_class
  gate "kubectl port-forward to the controller's Service (traefik/traefik)" port_forward traefik traefik || return
  INGRESS_PORT=$PF_PORT
  note "controller at 127.0.0.1:$INGRESS_PORT, Host: $INGRESS_HOST"
  check "(control) an unknown Host gets the controller's 404" unknown_host_404
  # Before any request reaches a backend (the controller keeps its connections to backends open
  # for the next requests, and a NetworkPolicy does not cut an established connection): the
  # policies without the controller's namespace (the chart's default, ingress-nginx) shut it out.
  local ns_key='networkPolicy.ingressController.namespaceSelector.matchLabels.kubernetes\.io/metadata\.name'
  if gate "helm upgrade: the NetworkPolicies admit ingress-nginx's namespace instead of traefik's" \
    release --set "$ns_key=ingress-nginx"; then
    sleep 3 # the enforcer applies the change
    check "(control) the controller is shut out: 502/504 for /, /stats and /hello" eventually 30 all_refused
  fi
  gate "helm upgrade: the release's values again (traefik's namespace admitted)" release || { port_forward_stop; return; }
  check "through the ingress: / is web's page, /hello is hello's answer, /stats is stats' sample" eventually 30 all_served
  check "(control) without web's router priority the catch-all / takes /hello" hello_shadowed_without_priority
  check "/stats/stream through the ingress: SSE events streamed one by one (no buffering)" sse_through_ingress
  port_forward_stop
}
