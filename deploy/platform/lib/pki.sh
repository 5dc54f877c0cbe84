# shellcheck shell=bash
# The platform's secrets, made once per instance under its state directory (0700) and never
# written to the repository, an image or a log: a CA (containerd and source-controller trust it
# for the registry), the registry's serving certificate (its ClusterIP and DNS names), and the
# cosign key pair the pipeline's sign step uses (password from a random file, as a CI credential).

REGISTRY_IP=10.96.0.20
REGISTRY_HOST=registry.registry.svc.cluster.local
REGISTRY=$REGISTRY_HOST:5000
PPKI=$PSTATE/pki

platform_pki() {
  mkdir -p "$PPKI" && chmod 700 "$PSTATE" "$PPKI"
  if [[ ! -f "$PPKI/registry.crt" ]]; then
    (
      # shellcheck source=deploy/cluster/lib/pki.sh
      source "$REPO/deploy/cluster/lib/pki.sh"
      PKI=$PPKI
      _ca platform-ca "flotilla platform CA ($CLUSTER)"
      _cert registry "/CN=$REGISTRY_HOST" platform-ca server \
        "DNS:$REGISTRY_HOST,DNS:registry.registry.svc,DNS:registry.registry,IP:$REGISTRY_IP"
    ) || die "cannot issue the registry's certificate"
  fi
  # the pipeline's steps resolve the registry's name as pods do (in_node mounts this as /etc/hosts)
  printf '127.0.0.1 localhost\n%s %s\n' "$REGISTRY_IP" "$REGISTRY_HOST" >"$PSTATE/hosts"
  # the trust the pipeline's steps (crane, cosign, helm, flux) get: the system's and the platform's CA
  cat /etc/ssl/certs/ca-certificates.crt "$PPKI/platform-ca.crt" >"$PPKI/trust.pem"
  if [[ ! -f "$PPKI/cosign.key" ]]; then
    head -c 32 /dev/urandom | base64 -w0 >"$PPKI/cosign.password"
    (cd "$PPKI" && COSIGN_PASSWORD=$(cat cosign.password) "$TOOLS_BIN/cosign" generate-key-pair >/dev/null 2>&1) ||
      die "cosign generate-key-pair failed"
  fi
  chmod 600 "$PPKI"/*.key "$PPKI/cosign.password"
}
