#!/usr/bin/env bash
# Tier delivery: the pipeline's own steps (pipeline) run end to end for real: images built by the
# Docker engine, SBOMs (syft), the scan gate (checkov, hadolint; its failure path with planted
# findings), a real registry (Debian's docker-registry 2.8, TLS from a local CA, htpasswd auth)
# that the cluster's containerd pulls from, cosign signatures and SBOM attestations with a key
# pair (offline: no Rekor, no Fulcio), helm --atomic on the local Kubernetes cluster, smoke tests,
# rollback. Scenarios: a full run from a commit; a stats-only commit; a release whose smoke test
# fails (rolled back, a polling client sees no failure); an unsigned and a tampered image refused.
# Then the hand-over (ci/delivery/handover.sh): a rerun of push and sign moves no tag, another
# image under a tag is refused; promote commits the digests to a git remote for Flux and tags a
# prod release; roll-ecs rolls ECS services on moto; the CVE gate fails when it cannot run.
# Prints the pipeline timelines and `tier delivery: N passed, M failed`.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
NODE=$ROOT/node_modules/.bin/node
source ci/lib/harness.sh
source tools/lib/tools.sh
source ci/delivery/registry.sh
source ci/delivery/cluster.sh
source ci/delivery/scenarios.sh
source ci/delivery/handover.sh
tier_begin delivery

STATE=$(mktemp -d /tmp/flotilla-delivery.XXXXXX)
WORK=$STATE # tools/lib/docker-engine.sh keeps dockerd's log there
source tools/lib/docker-engine.sh
CLONE=$STATE/repo
REG="" # 127.0.0.1:PORT on the loopback of the cluster's network namespace, once it is up
NAMESPACE=flotilla
RELEASE=flotilla
cleanup() {
  set +e
  moto_down
  in_cluster_registry_down
  cluster_stop
  # the pushed tags go while the engine still answers
  [[ -n "$REG" ]] && "$DOCKER" image ls --format '{{.Repository}}:{{.Tag}}' | grep -F "$REG/" | xargs -r "$DOCKER" image rm >/dev/null 2>&1
  stop_engine
  rm -rf "$STATE"
}
trap cleanup EXIT

phase "tools"
gate "tools installed (tools/delivery.sh)" bash tools/delivery.sh || { tier_end; exit 1; }
# roll-ecs's AWS CLI (preinstalled on hosted runners) and moto, the local AWS API (tier terraform's venv)
gate "AWS CLI and moto" bash -c 'source tools/lib/tools.sh && apt_need awscli && (pip_venv moto tools/requirements/moto.txt)' ||
  { tier_end; exit 1; }
export PATH="$FLOTILLA_CACHE/venv-k8s/bin:$PATH"
for t in crane cosign syft grype helm checkov hadolint docker-registry htpasswd openssl aws; do check "$t on PATH" command -v "$t"; done
echo "  $(tools_built crane); $(tools_built cosign); $(tools_built syft); $(tools_built grype); $(docker-registry --version)"
gate "docker engine" start_engine || { tier_end; exit 1; }

phase "cluster"
gate "local cluster up ($CLUSTER_NAME)" cluster_start || { tier_end; exit 1; }

phase "registry"
# the registry lives where the cluster's containerd can reach it: the cluster's netns loopback, on
# a port below the namespace's ephemeral range (ci/lib/ports.py: one in it can be taken by a client)
registry_port() { REG=127.0.0.1:$(in_cluster python3 "$ROOT/ci/lib/ports.py" free 1); }
gate "a port for the registry, free in the cluster's network namespace (ci/lib/ports.py)" registry_port || { tier_end; exit 1; }
gate "registry: docker-registry 2.8 on $REG (TLS, htpasswd) inside the cluster's network namespace" \
  in_cluster_registry_up "$STATE/registry" "$REG" || { tier_end; exit 1; }
cat /etc/ssl/certs/ca-certificates.crt "$REGISTRY_CA" >"$STATE/ca-bundle.pem"
registry_refuses() {
  local code
  code=$(in_cluster curl -s -o /dev/null -w '%{http_code}' --cacert "$REGISTRY_CA" "https://$REG/v2/_catalog")
  [[ "$code" == 401 ]] || fail "anonymous /v2/_catalog: $code, want 401"
  code=$(in_cluster curl -s -o /dev/null -w '%{http_code}' --cacert "$REGISTRY_CA" -u "$REGISTRY_USER:wrong" "https://$REG/v2/_catalog")
  [[ "$code" == 401 ]] || fail "wrong password: $code, want 401"
  in_cluster curl -s -o /dev/null "https://$REG/v2/" && fail "a client without the CA was not stopped by TLS verification"
  code=$(in_cluster curl -s -o /dev/null -w '%{http_code}' --cacert "$REGISTRY_CA" -u "$REGISTRY_USER:$REGISTRY_PASSWORD" "https://$REG/v2/_catalog")
  [[ "$code" == 200 ]] || fail "with the credentials: $code, want 200"
}
check "registry: anonymous and wrong-password requests get 401, an untrusted client fails TLS" registry_refuses
check "cluster's containerd trusts the registry (CA + credentials in its hosts.toml)" cluster_trust_registry "$REG" "$REGISTRY_CA"

phase "keys and clone"
export COSIGN_PASSWORD
COSIGN_PASSWORD=$(openssl rand -hex 16)
check "cosign key pair (password-protected)" sh -c "cd '$STATE' && cosign generate-key-pair >/dev/null 2>&1 && test -s cosign.key -a -s cosign.pub"
git clone -q --no-local "$ROOT" "$CLONE" && ln -s "$ROOT/node_modules" "$CLONE/node_modules"
git -C "$CLONE" config user.email ci@flotilla.invalid && git -C "$CLONE" config user.name "tier delivery"
# the steps run inside the cluster's namespace (`cluster exec` sets KUBECONFIG and PATH there)
PIPELINE_ENV=(HOME="$HOME" FLOTILLA_CACHE="$FLOTILLA_CACHE"
  REGISTRY="$REG" REGISTRY_USER="$REGISTRY_USER" REGISTRY_PASSWORD="$REGISTRY_PASSWORD"
  DOCKER_CONFIG="$STATE/docker" SSL_CERT_FILE="$STATE/ca-bundle.pem"
  COSIGN_KEY="$STATE/cosign.key" COSIGN_PASSWORD="$COSIGN_PASSWORD" COSIGN_PUBLIC_KEY="$STATE/cosign.pub"
  STANDIN_BASES=1 NAMESPACE="$NAMESPACE" RELEASE="$RELEASE" DEPLOY_TIMEOUT=5m)
check "registry-login: crane logged in with the htpasswd credentials" run_step "$STATE/out-login" registry-login
check "cluster-login: the cluster answers" run_step "$STATE/out-login" cluster-login
check "namespace $NAMESPACE enforces restricted Pod Security" cluster_namespace "$NAMESPACE"

phase "scan gate: planted findings"
source ci/delivery/scan-checks.sh
scan_checks

phase "scenario: full run from a commit"
check "full run: every service built, SBOM'd, scanned, pushed, signed, deployed by digest, smoke-tested" full_run

phase "scenario: stats-only commit"
check "a commit touching only services/stats rebuilds and redeploys only stats" stats_only

phase "scenario: failing smoke test"
check "a release whose smoke test fails is rolled back, exits non-zero, no failed request" bad_release

phase "scenario: unsigned image"
check "deploy refuses an unsigned image pushed by hand, and a tampered signature" unsigned_refused

phase "hand-over: idempotent publish, promote (GitOps), roll-ecs, the CVE gate"
handover_checks

phase "done"
echo "--- pipeline timelines (pipeline/timeline)"
cat "$STATE/timelines.txt" 2>/dev/null
tier_end
