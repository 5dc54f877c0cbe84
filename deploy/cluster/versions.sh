# shellcheck shell=bash
# Pinned versions of everything the local cluster runs: sourced by tools/cluster.sh (which
# builds them) and deploy/cluster/cluster.sh (which runs them). Debian's packages are the
# archive's current bookworm builds (recorded in $FLOTILLA_CACHE/cluster-debian/.stamp).
KUBERNETES_VERSION=v1.35.4
KUBERNETES_BINARIES="kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl"
METRICS_SERVER_VERSION=v0.9.0
COREDNS_VERSION=v1.15.0             # deploy/cluster/src/coredns/go.mod
KUBE_ROUTER_VERSION=v2.1.0          # deploy/cluster/src/netpol/go.mod (firewall controller only)
LOCAL_PATH_PROVISIONER_VERSION=v0.0.30
# The ingress controller: the newest 3.6 the Go module proxy serves (3.7.x's module graph needs
# versions it refuses); docs/cluster.md "Ingress" has the advisories and the residual risk.
TRAEFIK_VERSION=v3.6.25
# Security fixes local-path-provisioner v0.0.30 (its last release) predates; client-go follows
# the cluster's minor.
LOCAL_PATH_PROVISIONER_UPGRADES="golang.org/x/net@v0.62.0 golang.org/x/crypto@v0.59.0 golang.org/x/sys@v0.50.0
  google.golang.org/protobuf@v1.36.12 k8s.io/client-go@v0.35.4 k8s.io/api@v0.35.4 k8s.io/apimachinery@v0.35.4"
DEBIAN_PACKAGES="etcd-server containernetworking-plugins busybox-static"

# Image references of the add-ons (imported into each cluster's containerd, never pulled).
IMAGE_REGISTRY=flotilla.local
PAUSE_IMAGE=$IMAGE_REGISTRY/pause:$KUBERNETES_VERSION
BUSYBOX_IMAGE=$IMAGE_REGISTRY/busybox:1.35.0
COREDNS_IMAGE=$IMAGE_REGISTRY/coredns:$COREDNS_VERSION
METRICS_SERVER_IMAGE=$IMAGE_REGISTRY/metrics-server:$METRICS_SERVER_VERSION
LOCAL_PATH_PROVISIONER_IMAGE=$IMAGE_REGISTRY/local-path-provisioner:$LOCAL_PATH_PROVISIONER_VERSION
TRAEFIK_IMAGE=$IMAGE_REGISTRY/traefik:$TRAEFIK_VERSION
