# shellcheck shell=bash
# Tier cluster: the chart's NetworkPolicies, enforced. Probe pods with and without the labels
# the policies admit; every refusal has a control that passes over the same path.

reaches() { # NS POD HOST PORT PATH: HTTP 200
  [[ "$(http_from "$@")" == *" 200 "* ]]
}
blocked() { # NS POD HOST PORT PATH: no HTTP answer at all
  local line
  line=$(http_from "$@")
  [[ -z "$line" ]] || fail "$2 got an answer from $3:$4$5: $line"
}

resolves() { # NS POD NAME
  kc -n "$1" exec "$2" -- nslookup "$3" 2>/dev/null | grep -q '^Address: 10\.96\.'
}

scenario_netpol() {
  local stats="$RELEASE-stats.$NS.svc.cluster.local" store="$RELEASE-store.$NS.svc.cluster.local"
  kc create namespace monitoring --dry-run=client -o yaml | kc apply -f - >/dev/null
  probe_pod "$NS" np-plain "" &&
    probe_pod "$NS" np-client "$RELEASE-stats-client=true,$RELEASE-store-client=true" &&
    probe_pod monitoring np-prometheus app.kubernetes.io/name=prometheus &&
    probe_pod monitoring np-other app.kubernetes.io/name=other || { fail "probe pods did not start"; return; }
  local stats_ip
  stats_ip=$(kc -n "$NS" get pods -l app.kubernetes.io/name=stats -o jsonpath='{.items[0].status.podIP}')
  # the enforcer learns new pods within a sync: the controls first (they wait for it)
  client_reaches() { reaches "$NS" np-client "$stats" 80 /stats && reaches "$NS" np-client "$store" 80 /greeting/; }
  prometheus_reaches() { reaches monitoring np-prometheus "$stats_ip" 8080 /metrics; }
  check "(control) a pod with the client labels reaches stats and store" eventually 30 client_reaches
  check "a pod without the client label cannot reach stats" blocked "$NS" np-plain "$stats" 80 /stats
  check "a pod without the client label cannot reach store" blocked "$NS" np-plain "$store" 80 /greeting/
  check "Prometheus (monitoring namespace, its label) reaches stats' /metrics" eventually 30 prometheus_reaches
  check "(control) another pod of the monitoring namespace cannot reach /metrics" \
    blocked monitoring np-other "$stats_ip" 8080 /metrics
  check "DNS still resolves from the shut-out pod (CoreDNS through the policies)" resolves "$NS" np-plain "$stats"
  kc -n "$NS" delete pod np-plain np-client --wait=false >/dev/null
  kc delete namespace monitoring --wait=false >/dev/null
}
