# shellcheck shell=bash
# Tier platform, metrics (issue 19 "Metrics"): Prometheus 3 run by prometheus-operator in
# `monitoring` (deploy/flux/infrastructure/local/monitoring), configured only by the fleet chart's
# PodMonitors and PrometheusRule and kube-state-metrics' PodMonitor; Alertmanager with the
# repository's routing, posting to a webhook sink the tier runs on the node address.
# Sourced after ci/lib/harness.sh and ci/cluster/lib.sh (kc, cluster, note, NS, RELEASE, WORK).
# The JSON checks are ci/platform/metrics.py's (tested by metrics.test.ts).
#
#   metrics_ready                 the operator, kube-state-metrics, Prometheus and Alertmanager Ready
#   scenario_metrics_targets      every fleet target up; a target that fails is seen as down (control)
#   scenario_metrics_rules        the chart's rules loaded, FlotillaTargetDown's `for` from the values;
#                                 a PrometheusRule without the selected label is not loaded (control)
#   scenario_metrics_ksm          kube-state-metrics scraped, the fleet's pods in kube_pod_labels;
#                                 a label value no pod has gives no series (control)
#   metrics_proxy_open/close      `kubectl proxy`: PROM_URL and AM_URL for the HTTP checks below
#   scenario_metrics_alert        a hello pod that never serves: FlotillaTargetDown pending, then
#                                 firing at the sink through the `pager` route; while it fires, it
#                                 mutes hello's other alerts, not stats' (the control); resolved
#                                 after the rollback; nothing at the sink before (control)
#   scenario_metrics_lint         promtool check metrics on a pod of every scraped service, its
#                                 backend and the MongoDB exporter; prom-client's unfixed defaults
#                                 are refused (control)
#   scenario_metrics_restart      a stats container's process killed: the kubelet restarts it and
#                                 changes(process_start_time_seconds) counts it (the input of
#                                 FlotillaServiceRestarting); a hello pod's series counts none (control)

MON_NS=monitoring
METRICS_PY=${METRICS_PY:-$ROOT/ci/platform/metrics.py}
SINK_PORT=9095      # alert-sink.yaml: the Service's EndpointSlice is the node address, this port
SINK_LOCAL_PORT=9096 # the webhook sink itself, on the cluster namespace's loopback
SINK_PIDS=()
SINK_NODE_IP=${NODE_IP:-10.240.0.2} # the cluster's node address (deploy/cluster/lib/config.sh)

# prom_api PATH [ARGS...]: GET Prometheus' /api/v1/PATH through the API server's service proxy
# (no port-forward); curl-style query args after ?.
prom_api() { kc get --raw "/api/v1/namespaces/$MON_NS/services/prometheus-operated:web/proxy/api/v1/$1"; }
am_api() { kc get --raw "/api/v1/namespaces/$MON_NS/services/alertmanager-operated:web/proxy/api/v2/$1"; }
mpy() { python3 "$METRICS_PY" "$@"; }
prom_value() { python3 "$ROOT/ci/observability/prom-assert.py" "$PROM_URL" value "$1"; }

# metrics_proxy_open: `kubectl proxy` on a free port; PROM_URL and AM_URL are Prometheus' and
# Alertmanager's base URLs through the API server's service proxy, for the checks that POST or need
# a URL (kubectl get --raw only GETs). metrics_proxy_close (or the tier's cleanup) ends it: it names
# the instance's kubeconfig, so `platform stop` would count it as a process left behind.
metrics_proxy_open() {
  local port base
  port=$(free_port)
  (exec "$FLOTILLA_CACHE/kubernetes/bin/kubectl" --kubeconfig "/var/lib/flotilla/clusters/$CLUSTER/kubeconfig" \
    proxy --address 127.0.0.1 --port "$port" >"$WORK/kubectl-proxy.log" 2>&1) &
  METRICS_PROXY_PID=$!
  PF_PIDS+=("$METRICS_PROXY_PID")
  base=http://127.0.0.1:$port/api/v1/namespaces/$MON_NS/services
  PROM_URL=$base/prometheus-operated:web/proxy
  AM_URL=$base/alertmanager-operated:web/proxy
  wait_until 20 http_answers "$PROM_URL/-/ready" || { cat "$WORK/kubectl-proxy.log" >&2; return 1; }
}
metrics_proxy_close() { [[ -z "${METRICS_PROXY_PID:-}" ]] || kill "$METRICS_PROXY_PID" 2>/dev/null; }

# prom_check NAME PATH METRICS-ARGS...: fetches PATH into $WORK/NAME.json, then metrics.py on it
prom_check() {
  local name=$1 path=$2
  shift 2
  prom_api "$path" >"$WORK/$name.json" || { fail "Prometheus API $path did not answer"; return 1; }
  local cmd=$1
  shift
  mpy "$cmd" "$WORK/$name.json" "$@"
}

metrics_ready() {
  kc -n "$MON_NS" rollout status deploy/prometheus-operator --timeout=5s >/dev/null || fail "the operator is not Ready"
  kc -n "$MON_NS" rollout status deploy/kube-state-metrics --timeout=5s >/dev/null || fail "kube-state-metrics is not Ready"
  local p
  for p in prometheus-flotilla-0 alertmanager-flotilla-0; do
    [[ "$(kc -n "$MON_NS" get pod "$p" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" == True ]] ||
      fail "$p is not Ready"
  done
}

# the number of targets the fleet's PodMonitors should give: one per metrics port of each Running pod
fleet_target_count() {
  kc -n "$NS" get podmonitors -o json >"$WORK/podmonitors.json" && kc -n "$NS" get pods -o json >"$WORK/fleet-pods.json" &&
    mpy fleet-targets "$WORK/podmonitors.json" "$WORK/fleet-pods.json"
}

# control_seen_down: the control PodMonitor's target is discovered and reported down
control_seen_down() {
  prom_check targets-control "targets?state=active" targets flotilla-control 1 && { fail "a 404 target counted as up"; return; }
  grep -q '"job":"flotilla-control"' "$WORK/targets-control.json" || fail "the control target is not discovered yet"
}
# not_loaded RULE: the last rules answer (rules-sel.json) lacks RULE
not_loaded() { ! mpy rules "$WORK/rules-sel.json" "$1" >/dev/null; }
# no_series QUERY: the instant query gives no series
no_series() { prom_api "query?query=$1" >"$WORK/q-none.json" && ! mpy query "$WORK/q-none.json" 1; }

# metrics_controls_apply: the control objects of the targets and rules scenarios, applied early
# (a changed PodMonitor or PrometheusRule reaches Prometheus in about two minutes: the operator
# rewrites its configuration Secret, the kubelet syncs the volume, the reloader reloads), so the
# scenarios in between run while Prometheus picks them up.
metrics_controls_apply() {
  # control: a PodMonitor whose path does not serve metrics (hello answers 404) is a target that is down
  kc apply -f - >/dev/null <<YAML
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {name: control-down, namespace: $NS, labels: {release: monitoring}}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: hello}}
  podMetricsEndpoints:
    - {port: http, path: /no-such-metrics, interval: 10s, relabelings: [{targetLabel: job, replacement: flotilla-control}]}
YAML
  # control: the Prometheus selects rules by label; an unlabelled PrometheusRule must not load
  local r
  for r in selected unselected; do
    kc apply -f - >/dev/null <<YAML
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: control-$r
  namespace: $NS
  labels: {$([[ $r == selected ]] && echo "release: monitoring" || echo "flotilla-ci: control")}
spec:
  groups: [{name: control-$r, rules: [{record: "control:${r}:one", expr: vector(1)}]}]
YAML
  done
}

scenario_metrics_targets() {
  local want
  want=$(fleet_target_count) || want=0
  note "fleet PodMonitors: $(kc -n "$NS" get podmonitors -o name | wc -l), expected targets: $want"
  check "every fleet target (job=flotilla) is up in Prometheus, $want of them" \
    eventually 180 prom_check targets "targets?state=active" targets flotilla "$want"
  note "$(mpy targets "$WORK/targets.json" flotilla "$want" | head -n1)"
  check "(control) a target that does not serve metrics is reported down" eventually 240 control_seen_down
  kc -n "$NS" delete podmonitor control-down --wait=false >/dev/null
}

scenario_metrics_rules() {
  check "the chart's rules are loaded (FlotillaTargetDown, the RED and SLO recordings)" \
    eventually 120 prom_check rules rules rules FlotillaTargetDown FlotillaHigh5xxRatio service:http_requests:rate5m
  note "$(mpy rules "$WORK/rules.json" FlotillaTargetDown | head -n1)"
  check "FlotillaTargetDown's for is 30 s (monitoring.prometheusOperator.alertFor, rules unchanged)" \
    prom_check rules-for rules rule-for FlotillaTargetDown 30
  check "a PrometheusRule with the selected label is loaded" eventually 240 prom_check rules-sel rules rules control:selected:one
  check "(control) a PrometheusRule without it is not" not_loaded control:unselected:one
  kc -n "$NS" delete prometheusrule control-selected control-unselected --wait=false >/dev/null
}

scenario_metrics_ksm() {
  check "kube-state-metrics is scraped (its target up)" \
    eventually 120 prom_check ksm-targets "targets?state=active" targets "$MON_NS/kube-state-metrics" 1
  check "kube_pod_labels has the fleet's pods (label_app_kubernetes_io_part_of=flotilla)" eventually 60 \
    prom_check ksm-q 'query?query=kube_pod_labels%7Blabel_app_kubernetes_io_part_of%3D%22flotilla%22%7D' query 1
  note "kube_pod_labels of the fleet: $(mpy query "$WORK/ksm-q.json" 1)"
  check "(control) a label value no pod has gives no series" \
    no_series 'kube_pod_labels%7Blabel_app_kubernetes_io_part_of%3D%22nothing%22%7D'
}

sink_start() {
  : >"$WORK/alerts.jsonl"
  cluster exec python3 "$ROOT/ci/lib/webhook-sink.py" "$WORK/alerts.jsonl" --port "$SINK_LOCAL_PORT" >/dev/null 2>&1 &
  SINK_PIDS+=($!)
  cluster exec socat "TCP-LISTEN:$SINK_PORT,bind=$SINK_NODE_IP,reuseaddr,fork" "TCP:127.0.0.1:$SINK_LOCAL_PORT" >/dev/null 2>&1 &
  SINK_PIDS+=($!)
}
# sink_stop: the sink and socat run under `cluster exec` (nsenter, which execs them): each recorded
# background job and its descendants, by pid, children first.
kill_tree() {
  local c
  for c in $(pgrep -P "$1" 2>/dev/null); do kill_tree "$c"; done
  kill -TERM "$1" 2>/dev/null
}
sink_stop() {
  local p
  for p in "${SINK_PIDS[@]}"; do kill_tree "$p"; done
  SINK_PIDS=()
}

# nothing_yet: no FlotillaTargetDown for hello in Prometheus, nothing of it at the sink
nothing_yet() {
  prom_api alerts >"$WORK/alerts-before.json" || { fail "Prometheus API alerts did not answer"; return; }
  local st
  for st in pending firing; do
    mpy alert "$WORK/alerts-before.json" FlotillaTargetDown "$st" service=hello && fail "FlotillaTargetDown already $st"
  done
  mpy sink "$WORK/alerts.jsonl" FlotillaTargetDown firing && fail "the sink already has it"
  return 0
}

# inhibited: a warning posted for hello (whose FlotillaTargetDown fires) is muted by the repository's
# inhibit rule; the same warning for stats is not (the control). They end by themselves in 2 minutes.
inhibited() {
  local from to states
  from=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  to=$(date -u -d '+2 min' +%Y-%m-%dT%H:%M:%SZ)
  curl -sf -m 5 -H 'content-type: application/json' "$AM_URL/api/v2/alerts" --data "[
    {\"labels\": {\"alertname\": \"FlotillaHigh5xxRatio\", \"severity\": \"warning\", \"service\": \"hello\"}, \"startsAt\": \"$from\", \"endsAt\": \"$to\"},
    {\"labels\": {\"alertname\": \"FlotillaHigh5xxRatio\", \"severity\": \"warning\", \"service\": \"stats\"}, \"startsAt\": \"$from\", \"endsAt\": \"$to\"}]" >/dev/null ||
    { fail "Alertmanager did not take the alerts"; return; }
  # the two posted ones only: real traffic may raise the same alert for another service
  states=$(python3 "$ROOT/ci/observability/alerts.py" states "$AM_URL" FlotillaHigh5xxRatio | grep -E '^(hello|stats)=')
  [[ "$states" == $'hello=suppressed\nstats=active' ]] || fail "FlotillaHigh5xxRatio: ${states//$'\n'/ }"
}

# through_pager: the firing notification came through the route of severity=critical
through_pager() { grep '"FlotillaTargetDown"' "$WORK/alerts.jsonl" | grep -q '"path": "/pager"' || fail "not through /pager"; }

scenario_metrics_alert() {
  sink_start
  check "(control) before: no FlotillaTargetDown active, nothing at the sink" nothing_yet
  # A hello pod that never serves: its image does not exist (never pulled), so the new pod has an
  # address and a target but nothing listens; the old pod keeps serving (rolling update).
  # Scaling to 0 would not do: with no pod there is no target, so no up == 0 series.
  local image t0
  image=$(deploy_image hello)
  kc -n "$NS" set image "deploy/$RELEASE-hello" "hello=${image%:*}:absent" >/dev/null
  t0=$SECONDS
  # the alert of this pod only: an earlier scenario's outage (a bad release's pods) may have left
  # hello's alerts in Alertmanager, and a notification carries its group's resolved ones too
  local bad=""
  bad_pod() {
    bad=$(kc -n "$NS" get pods -l app.kubernetes.io/name=hello \
      -o jsonpath='{range .items[*]}{.metadata.name} {.spec.containers[?(@.name=="hello")].image}{"\n"}{end}' |
      awk '$2 ~ /:absent$/ { print $1; exit }')
    [[ -n "$bad" ]]
  }
  gate "the bad pod is created" eventually 60 bad_pod || { kc -n "$NS" rollout undo "deploy/$RELEASE-hello" >/dev/null; sink_stop; return; }
  check "FlotillaTargetDown is pending first (its for: 30 s) for the bad pod $bad" \
    eventually 120 prom_check alerts alerts alert FlotillaTargetDown pending service=hello "pod=$bad"
  check "FlotillaTargetDown fires at the webhook sink" \
    eventually 180 mpy sink "$WORK/alerts.jsonl" FlotillaTargetDown firing service=hello "pod=$bad"
  note "firing at the sink $((SECONDS - t0)) s after the bad pod: $(mpy sink "$WORK/alerts.jsonl" FlotillaTargetDown firing)"
  check "it came through the repository's route for severity=critical (receiver pager)" through_pager
  check "inhibition: the firing FlotillaTargetDown mutes hello's other alerts, not stats' (Alertmanager API)" \
    eventually 30 inhibited
  kc -n "$NS" rollout undo "deploy/$RELEASE-hello" >/dev/null
  t0=$SECONDS
  check "FlotillaTargetDown resolves at the sink once hello is back" \
    eventually 240 mpy sink "$WORK/alerts.jsonl" FlotillaTargetDown resolved service=hello "pod=$bad"
  note "resolved at the sink $((SECONDS - t0)) s after the rollback"
  kc -n "$NS" rollout status "deploy/$RELEASE-hello" --timeout=120s >/dev/null
  sink_stop
}

# promtool's lint of what each scraped process serves: one pod of each (metrics.py lint-targets,
# from Prometheus' active targets), through a port-forward of its own
metrics_lint() {
  local pod port name out
  prom_check targets-lint "targets?state=active" lint-targets flotilla mongodb >"$WORK/lint-targets.txt" ||
    { fail "no up target of jobs flotilla and mongodb"; return; }
  while read -r pod port name; do
    port_forward_to "pod/$pod" "$port" || { fail "$name: no port-forward to $pod"; continue; }
    out=$(curl -sf -m 10 "http://127.0.0.1:$PF_PORT/metrics" | promtool check metrics 2>&1) || fail "$name: ${out:-no /metrics}"
    port_forward_stop
  done <"$WORK/lint-targets.txt"
  note "promtool check metrics: $(awk '{print $3}' "$WORK/lint-targets.txt" | tr '\n' ' ')"
}
unfixed_refused() { # prom-client's default metrics as they come, without the kit's fix
  local out
  out=$("$ROOT/node_modules/.bin/node" "$ROOT/ci/observability/unfixed-default-metrics.ts" | promtool check metrics 2>&1) &&
    { fail "promtool found nothing"; return; }
  [[ "$out" == *'nodejs_active_handles_total non-counter metrics should not have "_total" suffix'* ]] || fail "unexpected: $out"
}

scenario_metrics_lint() {
  check "promtool check metrics: every scraped service's /metrics (and its backend's), the MongoDB exporter's" metrics_lint
  check "(control) promtool check metrics refuses prom-client's unfixed defaults" unfixed_refused
}

# restart_kill POD: SIGKILL to the process of POD's service container, found on the host by its
# POD_NAME (the kubelet's env), as a crash would end it
restart_kill() {
  local pids
  pids=$(grep -lsz "^POD_NAME=$1\$" /proc/[0-9]*/environ | cut -d/ -f3)
  [[ -n "$pids" ]] || { fail "no process of $1 on the host"; return; }
  # shellcheck disable=SC2086 # one pid per word
  kill -KILL $pids
}
restart_count() { kc -n "$NS" get pod "$1" -o jsonpath='{.status.containerStatuses[?(@.name=="stats")].restartCount}'; }
restarted_ready() { # POD COUNT: restarted COUNT times and Ready
  [[ "$(restart_count "$1") $(kc -n "$NS" get pod "$1" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" == "$2 True" ]]
}
restarts_of() { prom_value "changes(process_start_time_seconds{job=\"flotilla\",pod=\"$1\"}[5m])"; }
restarted_never() { [[ "$(restarts_of "$1")" == 0 ]] || fail "changes() for $1: $(restarts_of "$1")"; }
restarted_once() { [[ "$(restarts_of "$1")" == 1 ]] || fail "changes() for $1: $(restarts_of "$1")"; }

first_pod() { # SERVICE: its first Running pod
  kc -n "$NS" get pods -l "app.kubernetes.io/name=$1" --field-selector=status.phase=Running -o jsonpath='{.items[0].metadata.name}'
}

scenario_metrics_restart() {
  local victim other before
  victim=$(first_pod stats) other=$(first_pod hello)
  gate "a stats pod Running" test -n "$victim" || return
  gate "a hello pod Running" test -n "$other" || return
  before=$(restart_count "$victim")
  check "stats' process in $victim killed (SIGKILL from the host)" restart_kill "$victim"
  check "the kubelet restarted it (restartCount $before -> $((before + 1))) and it is Ready again" \
    eventually 90 restarted_ready "$victim" "$((before + 1))"
  check "changes(process_start_time_seconds) counts the restart (FlotillaServiceRestarting's input)" \
    eventually 90 restarted_once "$victim"
  check "(control) a hello pod's series ($other) counts none" restarted_never "$other"
}
