#!/usr/bin/env bash
# Tier gitops: the Flux objects of deploy/flux, checked offline (ci/gitops/offline.sh): every
# cluster entry point built as kustomize-controller builds it (`flux build`), every overlay by
# kustomize, validated against the Kubernetes schemas and the schemas of the pinned Flux CRDs, the
# cluster rules (ci/gitops/check-flux.py) and the chart rendered with each HelmRelease's values;
# Flux's own components for the local cluster generated afresh and compared
# (ci/gitops/components.sh); each check with a negative control. Flux running for real (its
# controllers as pods, a change, a bad release rolled back) is tier platform's.
# Tools: tools/gitops.sh. Prints `tier gitops: N passed, M failed`.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
source ci/lib/harness.sh
source tools/lib/tools.sh
source tools/versions/flux.sh
source ci/gitops/offline.sh
source ci/gitops/components.sh

tier_begin gitops
WORK=$(mktemp -d /tmp/flotilla-gitops.XXXXXX)
cleanup() {
  rm -rf "$WORK"
}
trap cleanup EXIT

phase "tools"
if ! gate "tools: Flux controllers and CLI $FLUX_VERSION, kustomize, kubeconform, helm (tools/gitops.sh)" \
  bash tools/gitops.sh; then
  tier_end
  exit 1
fi
for t in source-controller kustomize-controller helm-controller flux kustomize kubeconform helm; do echo "  $(tools_built "$t")"; done
PY=$FLOTILLA_CACHE/venv-gitops/bin/python
echo "  $(flux version --client 2>/dev/null | head -n1), $(kustomize version), kubeconform $(kubeconform -v)," \
  "helm $(helm version --template '{{.Version}}')"

phase "offline: builds, schemas, rules"
offline_checks

phase "Flux's components for the local cluster (generated)"
components_checks "$WORK"

tier_end
