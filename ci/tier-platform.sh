#!/usr/bin/env bash
# Tier platform: the whole platform as one running system (npm run platform, deploy/platform):
# from nothing to every Flux object and pod Ready with the fleet pulled from the in-cluster registry
# by digest; who verifies signatures; a second up that changes nothing; Flux's controllers as pods
# and their notifications; a change and a bad release through the platform's source while a client
# polls hello from inside the cluster (lead time, time to restore); Prometheus configured by the
# chart's PodMonitors and rules, an alert through Alertmanager and its inhibition; store on its
# databases; every dashboard panel and recording rule with data, promtool-clean /metrics, a
# restart counted; logs and traces; `open`'s URLs; then `down` leaving nothing.
# Prints each phase's time and `tier platform: N passed, M failed`.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
export FLOTILLA_CLUSTER=${FLOTILLA_CLUSTER:-flotilla-platform}
CLUSTER=$FLOTILLA_CLUSTER
WORK=$(mktemp -d /tmp/tier-platform.XXXXXX)
chmod 755 "$WORK" # the git server of Flux's own scenarios runs its workers as www-data below it
exec 3>&1

source ci/lib/harness.sh
source tools/lib/tools.sh
source ci/cluster/lib.sh       # probe pods, http_from, port-forwards (the scenarios of tier cluster's kind)
source ci/cluster/instances.sh # leftovers
export TELEMETRY_STORE_DB=redis # store runs on its databases here: its trace has a Redis client span
for f in lib up signatures change down flux databases telemetry metrics dashboards open; do
  # shellcheck source=/dev/null
  source "ci/platform/$f.sh"
done

cleanup() {
  set +e
  poll_stop
  open_stop
  telemetry_close >/dev/null 2>&1
  sink_stop >/dev/null 2>&1
  for p in "${PF_PIDS[@]}"; do kill "$p" 2>/dev/null; done
  flux_test_cleanup >/dev/null 2>&1
  [[ "${FLOTILLA_CLUSTER_KEEP:-}" == 1 ]] || platform down >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

tier_begin platform

phase "build (tools/platform.sh)"
require "the platform's parts are built (registry, Flux's controllers, their images; the pipeline's tools)" bash tools/platform.sh
require "promtool, for the /metrics lint (Debian's prometheus package)" apt_need prometheus
for t in registry notification-controller; do
  printf '        %-24s last build %5s s wall, %5s s CPU\n' "$t" "$(cat "$FLOTILLA_CACHE/logs/$t.seconds" 2>/dev/null || echo ?)" \
    "$(cat "$FLOTILLA_CACHE/logs/$t.cpu-seconds" 2>/dev/null || echo ?)"
done

phase "from nothing"
scenario_up

# the metrics scenarios' control objects, early: Prometheus picks them up while the others run
metrics_controls_apply

phase "signatures"
scenario_signatures

phase "Flux's controllers"
scenario_flux_controllers

phase "a second up"
scenario_second_up

phase "a client polls hello from inside the cluster"
require "the client gets local's messages from hello's Service" poll_start

phase "a change (lead time)"
scenario_change

phase "a bad release (time to restore)"
scenario_bad_release

phase "metrics and alerts"
check "metrics: the operator, Prometheus, Alertmanager and kube-state-metrics Ready" metrics_ready
require "metrics: Prometheus and Alertmanager reached through kubectl proxy" metrics_proxy_open
scenario_metrics_targets
scenario_metrics_rules
scenario_metrics_ksm
scenario_metrics_alert

phase "store on its databases"
scenario_databases

phase "dashboards"
scenario_dashboards

phase "the fleet's /metrics, a restart"
scenario_metrics_lint
scenario_metrics_restart
metrics_proxy_close

phase "logs and traces"
check "telemetry: every pod of observability and observability-agent Ready, VictoriaLogs' PVC Bound (local-path)" telemetry_ready
check "telemetry: Pod Security: observability restricted, the log agent's namespace privileged (control: its pod refused under restricted)" \
  telemetry_pod_security
check "telemetry: the fleet's namespace reaches the OTLP gateway (controls: not Jaeger directly; another namespace not the gateway)" \
  telemetry_network
if gate "telemetry: port-forwards to VictoriaLogs and Jaeger" telemetry_open &&
  gate "telemetry: requests with known ids through web's nginx to stats, and to store" telemetry_send; then
  telemetry_logs
  telemetry_traces
fi
telemetry_close

phase "platform open"
scenario_open

phase "Flux's own sources and notifications"
scenario_flux_reconcile
scenario_flux_events

poll_stop
check "the client's whole record: no request failed from its start to the end of the scenarios" \
  poll_window 0 "$(now)"

# last before down: a stop takes the client's network namespace (and every pod) away; Flux's own
# test sources go first (they need the tier's git server, which a stop ends)
phase "stopped, then up again (warm)"
flux_test_cleanup
flux_test_gone() { ! kc get namespace "$FLUX_TEST_NS" >/dev/null 2>&1; }
check "Flux's own test objects removed first (namespace $FLUX_TEST_NS gone)" eventually 120 flux_test_gone
scenario_restart

phase "down"
scenario_down
note "figures: up $UP_SECONDS s, up after stop ${RESTART_SECONDS:-?} s, lead time ${LEAD_TIME:-?} s, time to restore ${RESTORE_TIME:-?} s"

tier_end
