#!/usr/bin/env bash
# Tools of tier cluster (and of `npm run cluster`): everything the local Kubernetes cluster runs,
# built once per machine into $FLOTILLA_CACHE (tools/lib/tools.sh), nothing pulled from an image
# registry:
#   kubernetes/       kube-apiserver, -controller-manager, -scheduler, kubelet, kube-proxy, kubectl
#                     from k8s.io/kubernetes (module proxy), and the pause binary from its source
#   cluster-debian/   Debian's etcd, CNI plugins and busybox-static, unpacked (never installed)
#   bin/              helm (tier k8s's spec), metrics-server, coredns (minimal build),
#                     flotilla-netpol (kube-router's firewall controller only), local-path-provisioner,
#                     traefik (the ingress controller; lego's DNS-01 providers left out)
#   cluster-images/   image tarballs of the add-ons and the pause image (deploy/cluster/mkimage.py)
# Idempotent: prints nothing when everything is cached.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source tools/lib/tools.sh
source tools/k8s.sh # install_helm
source deploy/cluster/versions.sh

apt_need gcc libc6-dev socat conntrack iptables ipset openssl python3 curl
# containerd and runc: Debian's (docker.io depends on them), unless the machine has others
command -v containerd >/dev/null || apt_need containerd
command -v runc >/dev/null || apt_need runc

# --- Kubernetes: the published module is not buildable as is (go.work and replace directives
# point at ./staging): drop them and require the published k8s.io/* staging modules instead.
build_kubernetes() { # dir
  local out=$1 moddir src staged stagver=v0.${KUBERNETES_VERSION#v1.}
  moddir=$(GOFLAGS=-mod=mod GOTOOLCHAIN=local go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
  src=$(mktemp -d /tmp/flotilla-src.XXXXXX)
  trap 'rm -rf "$src"' RETURN
  cp -r "$moddir/." "$src" && chmod -R u+w "$src"
  cd "$src"
  rm -rf go.work go.work.sum vendor
  mapfile -t staged < <(go mod edit -json | python3 -c '
import json, sys
for r in json.load(sys.stdin).get("Replace") or []:
    if r["New"]["Path"].startswith("./staging/"): print(r["Old"]["Path"])')
  local edits=() m
  for m in "${staged[@]}"; do edits+=("-dropreplace=$m" "-require=$m@$stagver"); done
  go mod edit "${edits[@]}"
  # What hack/lib/version.sh would stamp (the API server reports it at /version).
  local minor=${KUBERNETES_VERSION#v1.}
  minor=${minor%%.*}
  local ldx="-X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION
    -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor
    -X k8s.io/component-base/version.gitTreeState=clean -X k8s.io/component-base/version.buildDate=1970-01-01T00:00:00Z
    -X k8s.io/client-go/pkg/version.gitVersion=$KUBERNETES_VERSION"
  mkdir -p "$out/bin"
  local cmds=() c
  for c in $KUBERNETES_BINARIES; do cmds+=("./cmd/$c"); done
  GOTOOLCHAIN=local GOFLAGS="-buildvcs=false -mod=mod" CGO_ENABLED=0 \
    nice -n 10 go build -trimpath -ldflags "-s -w ${ldx//$'\n'/ }" -o "$out/bin/" "${cmds[@]}"
  # the sandbox ("pause") container's process, from the same source tree
  nice -n 10 gcc -Os -static -DVERSION="$KUBERNETES_VERSION" -o "$out/bin/pause" build/pause/linux/pause.c
  strip "$out/bin/pause"
}
tool_tree kubernetes "k8s.io/kubernetes@$KUBERNETES_VERSION $KUBERNETES_BINARIES pause" build_kubernetes

# --- Debian's etcd, CNI plugins and static busybox: downloaded and unpacked, never installed
# (no service starts, nothing lands in /usr). Keyed by the archive's candidate versions.
debian_versions() {
  local p v pinned=()
  for p in $DEBIAN_PACKAGES; do
    v=$(apt-cache policy "$p" 2>/dev/null | sed -n 's/^ *Candidate: //p')
    [[ -n "$v" && "$v" != "(none)" ]] || { echo "tools: no candidate version of $p (apt-get update?)" >&2; return 1; }
    pinned+=("$p=$v")
  done
  echo "${pinned[*]}"
}
unpack_debian() { # dir packages=versions...
  local out=$1 tmp deb
  shift
  tmp=$(mktemp -d /tmp/flotilla-debs.XXXXXX)
  trap 'rm -rf "$tmp"' RETURN
  (cd "$tmp" && apt-get download "$@")
  for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$out"; done
  ls "$out/usr/bin/etcd" "$out/usr/lib/cni/bridge" "$out/usr/lib/cni/host-local" "$out/bin/busybox" >/dev/null
}
debs=$(debian_versions) || {
  (flock 9 && apt-get -o DPkg::Lock::Timeout=600 update -qq) 9>"$FLOTILLA_CACHE/locks/apt.lock"
  debs=$(debian_versions)
}
# shellcheck disable=SC2086 # package=version words
tool_tree cluster-debian "$debs" unpack_debian $debs

# --- Go programs: helm (tier k8s's spec), the add-ons' binaries
install_helm
go_tool metrics-server sigs.k8s.io/metrics-server/cmd/metrics-server "$METRICS_SERVER_VERSION" \
  -ldflags "-s -w -X k8s.io/client-go/pkg/version.gitVersion=$METRICS_SERVER_VERSION"
go_local_build coredns deploy/cluster/src/coredns -ldflags "-s -w"
go_local_build flotilla-netpol deploy/cluster/src/netpol -ldflags "-s -w"
# shellcheck disable=SC2086 # the list, on one line
GO_MODULE_UPGRADES=$(echo $LOCAL_PATH_PROVISIONER_UPGRADES) go_module_build local-path-provisioner \
  github.com/rancher/local-path-provisioner "$LOCAL_PATH_PROVISIONER_VERSION" . \
  -ldflags "-s -w -X main.VERSION=$LOCAL_PATH_PROVISIONER_VERSION"

# --- traefik, the ingress controller. It has no build tags; the largest part of it the cluster
# never uses is ACME's DNS-01 challenge: lego's registry of 218 DNS providers, each with its
# cloud SDK, is 947 of the 2632 packages of the build. That registry is one generated file of
# lego (a dependency, not traefik's code): the build uses a copy of lego (`replace`) where it is
# a factory that knows no provider. Everything else compiles unchanged; a DNS-01 resolver would
# fail with "unrecognized DNS provider". docs/cluster.md "Ingress" has both builds' costs.
traefik_without_dns_providers() {
  local lego dir
  lego=$(GOTOOLCHAIN=local go mod edit -json | python3 -c 'import json,sys
print(next(r["Version"] for r in json.load(sys.stdin)["Require"] if r["Path"] == "github.com/go-acme/lego/v5"))') || return 1
  dir=$(GOFLAGS=-mod=mod GOTOOLCHAIN=local go mod download -json "github.com/go-acme/lego/v5@$lego" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])') || return 1
  cp -r "$dir" .lego && chmod -R u+w .lego
  rm -f .lego/providers/dns/*_test.go
  cat >.lego/providers/dns/zz_gen_dns_providers.go <<'GO'
// Replaced by Flotilla's build (tools/cluster.sh): no DNS-01 provider is compiled in.

package dns

import (
	"fmt"

	"github.com/go-acme/lego/v5/challenge"
)

// NewDNSChallengeProviderByName knows no provider in this build.
func NewDNSChallengeProviderByName(name string) (challenge.Provider, error) {
	return nil, fmt.Errorf("unrecognized DNS provider: %s (no DNS-01 provider is compiled into this build)", name)
}
GO
  GOTOOLCHAIN=local go mod edit -replace "github.com/go-acme/lego/v5=./.lego"
}
traefik_version_pkg=github.com/traefik/traefik/v3/pkg/version
GO_MODULE_PREPARE=traefik_without_dns_providers go_module_build traefik github.com/traefik/traefik/v3 \
  "$TRAEFIK_VERSION" ./cmd/traefik -ldflags "-s -w -X $traefik_version_pkg.Version=$TRAEFIK_VERSION \
  -X $traefik_version_pkg.BuildDate=1970-01-01T00:00:00Z"

# --- image tarballs (docker-archive, `ctr images import`) of the pause image and the add-ons
build_images() { # dir
  local out=$1 root
  root=$(mktemp -d /tmp/flotilla-rootfs.XXXXXX)
  trap 'rm -rf "$root"' RETURN
  image() { # ref tar entrypoint-json file...
    local ref=$1 tar=$2 entry=$3 f
    shift 3
    rm -rf "$root/fs" && mkdir -p "$root/fs/tmp" && chmod 1777 "$root/fs/tmp"
    for f in "$@"; do install -m 0755 "$f" "$root/fs/$(basename "$f")"; done
    python3 "$ROOT/deploy/cluster/mkimage.py" "$ref" "$root/fs" "$out/$tar" "$entry"
  }
  image "$PAUSE_IMAGE" pause.tar '["/pause"]' "$FLOTILLA_CACHE/kubernetes/bin/pause"
  image "$COREDNS_IMAGE" coredns.tar '["/coredns"]' "$TOOLS_BIN/coredns"
  image "$METRICS_SERVER_IMAGE" metrics-server.tar '["/metrics-server"]' "$TOOLS_BIN/metrics-server"
  image "$LOCAL_PATH_PROVISIONER_IMAGE" local-path-provisioner.tar '["/local-path-provisioner"]' \
    "$TOOLS_BIN/local-path-provisioner"
  image "$TRAEFIK_IMAGE" traefik.tar '["/traefik"]' "$TOOLS_BIN/traefik"
  # busybox: the local-path provisioner's helper pods and the tier's probe pods (sh, nc, nslookup)
  rm -rf "$root/fs" && mkdir -p "$root/fs/bin" "$root/fs/tmp" && chmod 1777 "$root/fs/tmp"
  install -m 0755 "$FLOTILLA_CACHE/cluster-debian/bin/busybox" "$root/fs/bin/busybox"
  local a
  for a in $("$root/fs/bin/busybox" --list); do [[ "$a" == busybox ]] || ln -s busybox "$root/fs/bin/$a"; done
  python3 "$ROOT/deploy/cluster/mkimage.py" "$BUSYBOX_IMAGE" "$root/fs" "$out/busybox.tar" null '["sh"]'
}
inputs=$(cat "$FLOTILLA_CACHE/kubernetes/.stamp" "$FLOTILLA_CACHE/cluster-debian/.stamp" \
  "$TOOLS_BIN"/.{coredns,metrics-server,local-path-provisioner,traefik}.version deploy/cluster/mkimage.py \
  tools/cluster.sh deploy/cluster/versions.sh | sha256sum | cut -c1-16)
tool_tree cluster-images "images $inputs" build_images
