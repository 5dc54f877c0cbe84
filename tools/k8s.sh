#!/usr/bin/env bash
# Tools of tier k8s: Go tools from the Go module proxy, once per machine (tools/lib/tools.sh).
# Tier cluster sources this file (after tools/lib/tools.sh) for install_helm: one spec, one helm
# binary for both tiers.

HELM_VERSION=v3.22.0
KUSTOMIZE_VERSION=v5.8.2 # v5.8.3 needs Go >= 1.27
KUBECONFORM_VERSION=v0.8.0

# The ldflags of helm's own Makefile: without them `helm version` is blank and the default
# Kubernetes version for lint/template is 1.20, below the chart's kubeVersion.
install_helm() {
  local k8s_minor=37 # = the k8s.io/client-go minor in helm's go.mod
  go_tool helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION" -ldflags "-w -s \
  -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean \
  -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$k8s_minor \
  -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$k8s_minor"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  cd "$(dirname "$0")/.."
  source tools/lib/tools.sh
  go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION" \
    -ldflags "-s -w -X main.version=$KUBECONFORM_VERSION"
  go_tool kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION" -ldflags "-s -w"
  install_helm
fi
