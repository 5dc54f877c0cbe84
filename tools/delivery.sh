#!/usr/bin/env bash
# Tools of tier delivery (the pipeline's steps run for real): crane (push image tarballs),
# cosign (key-pair signing and SBOM attestation, offline), syft (SBOMs), grype (the CVE gate,
# SCAN_VULNERABILITIES=1; the version whose syft is ours), helm (deploy), Debian's
# docker-registry 2.8 (the registry, TLS + htpasswd), openssl (the local CA), htpasswd (bcrypt
# entries) and checkov (the offline scan gate; the same pinned venv as tier k8s).
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/lib/tools.sh
source tools/k8s.sh # install_helm

CRANE_VERSION=v0.22.1
COSIGN_VERSION=v2.6.5
SYFT_VERSION=v1.57.1
GRYPE_VERSION=v0.121.3

apt_need docker-registry apache2-utils openssl git curl
go_tool crane github.com/google/go-containerregistry/cmd/crane "$CRANE_VERSION" -ldflags "-s -w"
go_tool cosign github.com/sigstore/cosign/v2/cmd/cosign "$COSIGN_VERSION" \
  -ldflags "-s -w -X sigs.k8s.io/release-utils/version.gitVersion=$COSIGN_VERSION"
go_tool syft github.com/anchore/syft/cmd/syft "$SYFT_VERSION" -ldflags "-s -w -X main.version=$SYFT_VERSION"
go_tool grype github.com/anchore/grype/cmd/grype "$GRYPE_VERSION" -ldflags "-s -w -X main.version=$GRYPE_VERSION"
install_helm # one spec, one binary, shared with tiers k8s and cluster (tools/k8s.sh)
pip_venv k8s tools/requirements/checkov.txt
