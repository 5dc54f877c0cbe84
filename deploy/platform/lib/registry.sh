# shellcheck shell=bash
# The in-cluster registry: its certificate as a Secret, its configuration, the Deployment and the
# fixed-ClusterIP Service (deploy/platform/registry), and containerd's trust of it (certs.d: the
# kubelet pulls the fleet's images from it by digest).

registry_up() {
  platform_pki
  local certs=$STATE/containerd/certs.d/$REGISTRY
  mkdir -p "$certs"
  # read by containerd on every pull (config_path): no restart
  cat >"$certs/hosts.toml" <<TOML
# the local platform's registry ($REGISTRY), reached by its ClusterIP, trusted by the platform's CA
server = "https://$REGISTRY"
[host."https://$REGISTRY_IP:5000"]
  capabilities = ["pull", "resolve"]
  ca = "$PPKI/platform-ca.crt"
TOML
  k apply --server-side -f "$PLATFORM_DIR/registry/namespace.yaml" >/dev/null || die "cannot create the registry's namespace"
  k -n registry create secret tls registry-tls --cert "$PPKI/registry.crt" --key "$PPKI/registry.key" \
    --dry-run=client -o yaml | k apply --server-side -f - >/dev/null || die "cannot store the registry's certificate"
  k -n registry create configmap registry-config --from-file "$PLATFORM_DIR/registry/config.yml" \
    --dry-run=client -o yaml | k apply --server-side -f - >/dev/null || die "cannot store the registry's configuration"
  CONFIG_HASH=$(cat "$PLATFORM_DIR/registry/config.yml" "$PPKI/registry.crt" | sha256sum | cut -c1-16) \
    DISTRIBUTION_VERSION=$DISTRIBUTION_VERSION REGISTRY_IP=$REGISTRY_IP NODE_CIDR=10.240.0.0/24 \
    envsubst '$CONFIG_HASH $DISTRIBUTION_VERSION $REGISTRY_IP $NODE_CIDR' <"$PLATFORM_DIR/registry/registry.yaml" |
    k apply --server-side -f - >/dev/null || die "cannot apply the registry"
  k -n registry rollout status deployment/registry --timeout=120s >/dev/null ||
    die "the registry did not become Ready: $(k -n registry get pods --no-headers 2>&1 | head -n 3)"
  local i
  for i in $(seq 30); do
    in_node env SSL_CERT_FILE="$PPKI/trust.pem" "$TOOLS_BIN/crane" catalog "$REGISTRY" >/dev/null 2>&1 && return 0
    sleep 1
  done
  die "the registry answers nobody at https://$REGISTRY from the node"
}
