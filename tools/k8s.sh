#!/usr/bin/env bash
# Tools of tier k8s: Go tools from the Go module proxy, once per machine (tools/lib/tools.sh).
# Tier cluster sources this file (after tools/lib/tools.sh) for install_helm: one spec, one helm
# binary for both tiers.

HELM_VERSION=v3.22.0
KUSTOMIZE_VERSION=v5.8.2 # v5.8.3 needs Go >= 1.27
KUBECONFORM_VERSION=v0.8.0
HELM_UNITTEST_VERSION=v1.1.2 # the chart's tests: HELM_PLUGINS=$FLOTILLA_CACHE/helm-plugins helm unittest

# The ldflags of helm's own Makefile: without them `helm version` is blank and the default
# Kubernetes version for lint/template is 1.20, below the chart's kubeVersion.
install_helm() {
  local k8s_minor=37 # = the k8s.io/client-go minor in helm's go.mod
  go_tool helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION" -ldflags "-w -s \
  -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean \
  -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$k8s_minor \
  -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$k8s_minor"
}

# helm-unittest, a helm plugin: its binary (go_module_build: its go.mod has a replace directive)
# and a plugin.yaml naming it, laid out as $FLOTILLA_CACHE/helm-plugins/unittest.
helm_unittest_plugin() { # DIR
  mkdir -p "$1/unittest" && cp "$TOOLS_BIN/helm-unittest" "$1/unittest/untt" &&
    printf '%s\n' 'name: "unittest"' "version: \"${HELM_UNITTEST_VERSION#v}\"" \
      'usage: "unittest for helm charts"' 'description: "helm-unittest, built from the Go module proxy"' \
      'ignoreFlags: false' 'command: "$HELM_PLUGIN_DIR/untt"' >"$1/unittest/plugin.yaml"
}
install_helm_unittest() {
  go_module_build helm-unittest github.com/helm-unittest/helm-unittest "$HELM_UNITTEST_VERSION" ./cmd/helm-unittest \
    -ldflags "-s -w -X github.com/helm-unittest/helm-unittest/internal/build.version=${HELM_UNITTEST_VERSION#v}" &&
    tool_tree helm-plugins "helm-unittest $HELM_UNITTEST_VERSION" helm_unittest_plugin
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  cd "$(dirname "$0")/.."
  source tools/lib/tools.sh
  go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION" \
    -ldflags "-s -w -X main.version=$KUBECONFORM_VERSION"
  go_tool kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION" -ldflags "-s -w"
  install_helm
  install_helm_unittest
fi
