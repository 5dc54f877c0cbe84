#!/usr/bin/env bash
# Tier gitops: the Flux objects of deploy/flux, checked offline and then run for real.
# Offline (ci/gitops/offline.sh): every cluster entry point built as kustomize-controller builds
# it (`flux build`), every overlay by kustomize, validated against the Kubernetes schemas and the
# schemas of the pinned Flux CRDs, the cluster rules (ci/gitops/check-flux.py) and the chart
# rendered with each HelmRelease's values; each check with a negative control.
# Live (ci/gitops/live.sh): source-, kustomize- and helm-controller built from the Go module proxy
# run against the local cluster (`npm run cluster`), fed by a git server holding a copy of this
# repository; bootstrap clusters/dev, then commits that change MESSAGES, break a release and
# remove a service, each reconciled and checked while a client polls the fleet.
# Tools: tools/gitops.sh. Prints `tier gitops: N passed, M failed`.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
source ci/lib/harness.sh
source tools/lib/tools.sh
source tools/versions/flux.sh
source ci/gitops/offline.sh
source ci/gitops/live.sh

tier_begin gitops
WORK=$(mktemp -d /tmp/flotilla-gitops.XXXXXX)
cleanup() {
  live_cleanup
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

live_run

tier_end
