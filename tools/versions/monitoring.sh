# shellcheck shell=bash
# shellcheck disable=SC2034 # read by the scripts that source it
# Pinned versions of the metrics platform (issue 19, "Metrics"): sourced by
# tools/platform/monitoring.sh (which builds them) and the scripts that import or test them.
# The manifests in deploy/flux/infrastructure/local/monitoring/ name the same image references.
PROMETHEUS_VERSION=v0.316.0 # the Go module's version of Prometheus 3.16.0
PROMETHEUS_RELEASE=v3.16.0
# Prometheus' own way to leave service discoveries out (plugins/plugin_*.go build constraints):
# only kubernetes SD, which every ServiceMonitor/PodMonitor the operator renders uses.
PROMETHEUS_TAGS=remove_all_sd,enable_kubernetes_sd
PROMETHEUS_OPERATOR_VERSION=v0.85.0
# The newest Alertmanager of 0.28-0.29 the Go module proxy serves (0.29.x is not served);
# also prometheus-operator v0.85.0's default (DefaultAlertmanagerVersion).
ALERTMANAGER_VERSION=v0.28.1
ALERTMANAGER_UPGRADES="golang.org/x/net@v0.62.0 golang.org/x/crypto@v0.59.0 golang.org/x/oauth2@v0.36.0"
KUBE_STATE_METRICS_VERSION=v2.20.0

MONITORING_IMAGE_REGISTRY=flotilla.local
PROMETHEUS_IMAGE=$MONITORING_IMAGE_REGISTRY/prometheus:$PROMETHEUS_RELEASE
PROMETHEUS_OPERATOR_IMAGE=$MONITORING_IMAGE_REGISTRY/prometheus-operator:$PROMETHEUS_OPERATOR_VERSION
PROMETHEUS_CONFIG_RELOADER_IMAGE=$MONITORING_IMAGE_REGISTRY/prometheus-config-reloader:$PROMETHEUS_OPERATOR_VERSION
ALERTMANAGER_IMAGE=$MONITORING_IMAGE_REGISTRY/alertmanager:$ALERTMANAGER_VERSION
KUBE_STATE_METRICS_IMAGE=$MONITORING_IMAGE_REGISTRY/kube-state-metrics:$KUBE_STATE_METRICS_VERSION
