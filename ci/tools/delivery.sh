#!/usr/bin/env bash
# Tools of tier delivery (the pipeline's steps run for real): crane (push image tarballs),
# cosign (key-pair signing and SBOM attestation, offline), syft (SBOMs), helm (deploy), Debian's
# docker-registry 2.8 (the registry, TLS + htpasswd), openssl (the local CA), htpasswd (bcrypt
# entries) and checkov (the offline scan gate; the same pinned venv as tier k8s).
set -euo pipefail
cd "$(dirname "$0")/../.."
source ci/lib/tools.sh

CRANE_VERSION=v0.22.1
COSIGN_VERSION=v2.6.5
SYFT_VERSION=v1.57.1
HELM_VERSION=v3.22.0
HELM_K8S_MINOR=37 # = the k8s.io/client-go minor in helm's go.mod (see ci/tier-k8s.sh)

apt_need docker-registry apache2-utils openssl git curl
go_tool crane github.com/google/go-containerregistry/cmd/crane "$CRANE_VERSION" -ldflags "-s -w"
go_tool cosign github.com/sigstore/cosign/v2/cmd/cosign "$COSIGN_VERSION" \
  -ldflags "-s -w -X sigs.k8s.io/release-utils/version.gitVersion=$COSIGN_VERSION"
go_tool syft github.com/anchore/syft/cmd/syft "$SYFT_VERSION" -ldflags "-s -w -X main.version=$SYFT_VERSION"
# helm is shared with tiers k8s and cluster: an existing build is kept (same version, same flags).
if ! command -v helm >/dev/null; then
  go_tool helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION" -ldflags "-w -s \
    -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean \
    -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$HELM_K8S_MINOR \
    -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$HELM_K8S_MINOR"
fi
pip_venv k8s ci/k8s/requirements.txt
