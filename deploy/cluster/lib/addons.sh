# shellcheck shell=bash
# The add-ons, as pods (how every cluster runs them, and what they are for: Services, an
# APIService, StorageClass, IngressClass): CoreDNS, metrics-server, local-path-provisioner, the
# traefik ingress controller; plus the RBAC of the NetworkPolicy enforcer, which runs as a node
# process (lib/node.sh).

ADDON_MANIFESTS=(netpol-rbac coredns metrics-server local-path-provisioner traefik)

addons_apply() {
  local m
  for m in "${ADDON_MANIFESTS[@]}"; do
    render "$CLUSTER_DIR/manifests/$m.yaml" || return 1
    echo "---"
  done | kc apply --server-side --force-conflicts --field-manager=flotilla-cluster -f - >/dev/null
}

addons_wait() {
  kc -n kube-system rollout status deploy/coredns deploy/metrics-server --timeout="${1:-120}s" >/dev/null &&
    kc -n local-path-storage rollout status deploy/local-path-provisioner --timeout="${1:-120}s" >/dev/null &&
    kc -n traefik rollout status deploy/traefik --timeout="${1:-120}s" >/dev/null &&
    wait_for "${1:-120}" "the metrics API (v1beta1.metrics.k8s.io)" \
      kc wait --for=condition=Available apiservice/v1beta1.metrics.k8s.io --timeout=2s
}
