#!/usr/bin/env bash
# Flux's own manifests for the local cluster, the equivalent of `flux install`'s
# gotk-components.yaml, generated the way flux2's manifests/ builds them, with kustomize, from the
# sources of the versions pinned in tools/versions/flux.sh in the Go module cache:
#   - each controller's config/crd and config/manager (what its release assets
#     <controller>.crds.yaml and <controller>.deployment.yaml are built from);
#   - flux2 v2.9.5's manifests/: bases/<controller> (ServiceAccount, labels, the patch adding
#     --events-addr, serviceAccountName, priorityClassName, GOMEMLIMIT), rbac/ (crd-controller,
#     cluster-reconciler, flux-view/flux-edit, the critical-pods quota) and policies/ (allow-egress,
#     allow-scraping, allow-webhooks);
#   - what `flux install` adds (flux2 pkg/manifestgen/install): roles suffixed with the namespace,
#     the labels instance/part-of/version, nodeSelector kubernetes.io/os: linux;
#   - this file's overlay: only the four controllers the platform runs (no image automation, no
#     source-watcher), the namespace with restricted Pod Security enforced (upstream only warns),
#     the images flotilla.local/<controller>:<version> (tools/platform/flux.sh) with
#     imagePullPolicy Never, and uid/gid 65532 (the images carry no USER).
# usage: flux-components.sh [OUT]   (default deploy/flux/clusters/local/flux-system/gotk-components.yaml;
#        `-` writes to stdout). Needs go (module downloads) and kustomize (tools/k8s.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/lib/tools.sh
source tools/versions/flux.sh

out=${1:-deploy/flux/clusters/local/flux-system/gotk-components.yaml}
command -v kustomize >/dev/null || bash tools/k8s.sh >&2

moddir() { # module@version -> its directory in the Go module cache (downloaded when missing)
  GOFLAGS=-mod=mod GOTOOLCHAIN=local go mod download -json "$1" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])'
}

# the release each controller's base in flux2's manifests/ names (only notification-controller's
# differs from what is built: tools/versions/flux.sh)
flux2_named() {
  if [[ $1 == notification-controller ]]; then echo "$FLUX2_NOTIFICATION_CONTROLLER"; else flux_controller_version "$1"; fi
}

tmp=$(mktemp -d /tmp/flotilla-flux-components.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
flux2=$(moddir "github.com/fluxcd/flux2/v2@$FLUX_VERSION")
cp -r "$flux2/manifests/rbac" "$flux2/manifests/policies" "$tmp/"
chmod -R u+w "$tmp"

images=""
for c in "${FLUX_POD_CONTROLLERS[@]}"; do
  version=$(flux_controller_version "$c") named=$(flux2_named "$c")
  src=$(moddir "github.com/fluxcd/$c@$version")
  mkdir -p "$tmp/bases/$c"
  cp -r "$src/config/crd" "$tmp/bases/$c/crd"
  cp -r "$src/config/manager" "$tmp/bases/$c/manager"
  cp "$flux2/manifests/bases/$c/"{account,labels,patch}.yaml "$tmp/bases/$c/"
  chmod -R u+w "$tmp/bases/$c"
  # flux2's bases/<controller>/kustomization.yaml with the release assets (GitHub URLs) replaced
  # by the directories they are built from
  sed -e "s|^- https://github.com/fluxcd/$c/releases/download/$named/$c.crds.yaml|- crd|" \
    -e "s|^- https://github.com/fluxcd/$c/releases/download/$named/$c.deployment.yaml|- manager|" \
    "$flux2/manifests/bases/$c/kustomization.yaml" >"$tmp/bases/$c/kustomization.yaml"
  if grep -q 'https://' "$tmp/bases/$c/kustomization.yaml"; then
    echo "flux-components: flux2 $FLUX_VERSION's bases/$c names other release assets than $c $named:" >&2
    grep 'https://' "$tmp/bases/$c/kustomization.yaml" >&2
    exit 1
  fi
  images+="  - name: fluxcd/$c
    newName: flotilla.local/$c
    newTag: $version
"
done

cat >"$tmp/namespace.yaml" <<'EOF'
apiVersion: v1
kind: Namespace
metadata:
  name: flux-system
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: latest
    pod-security.kubernetes.io/warn: restricted
    pod-security.kubernetes.io/warn-version: latest
EOF
# the roles as `flux install` lays them out (flux2 pkg/manifestgen/install): suffixed with the
# namespace; crd-controller's binding names the seven controllers of a full install, four run here
mkdir -p "$tmp/roles"
cat >"$tmp/roles/kustomization.yaml" <<'EOF'
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../rbac
nameSuffix: -flux-system
patches:
  - path: crd-controller-subjects.yaml
EOF
cat >"$tmp/roles/crd-controller-subjects.yaml" <<'EOF'
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: crd-controller
subjects:
  - kind: ServiceAccount
    name: kustomize-controller
    namespace: flux-system
  - kind: ServiceAccount
    name: helm-controller
    namespace: flux-system
  - kind: ServiceAccount
    name: source-controller
    namespace: flux-system
  - kind: ServiceAccount
    name: notification-controller
    namespace: flux-system
EOF
# the labels `flux install` sets, the Flux version among them (`flux check` reads it)
cat >"$tmp/labels.yaml" <<EOF
apiVersion: builtin
kind: LabelTransformer
metadata:
  name: labels
labels:
  app.kubernetes.io/instance: flux-system
  app.kubernetes.io/version: "$FLUX_VERSION"
  app.kubernetes.io/part-of: flux
fieldSpecs:
  - path: metadata/labels
    create: true
  - kind: Deployment
    path: spec/template/metadata/labels
    create: true
EOF
# the local images (never pulled), the uid they run as (they carry no USER), and `flux install`'s
# node selector
cat >"$tmp/local.yaml" <<'EOF'
- op: add
  path: /spec/template/spec/containers/0/imagePullPolicy
  value: Never
- op: add
  path: /spec/template/spec/securityContext/runAsUser
  value: 65532
- op: add
  path: /spec/template/spec/securityContext/runAsGroup
  value: 65532
- op: add
  path: /spec/template/spec/nodeSelector
  value:
    kubernetes.io/os: linux
EOF
cat >"$tmp/kustomization.yaml" <<EOF
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: flux-system
resources:
  - namespace.yaml
$(for c in "${FLUX_POD_CONTROLLERS[@]}"; do echo "  - bases/$c"; done)
  - roles
  - policies
transformers:
  - labels.yaml
patches:
  - path: local.yaml
    target:
      group: apps
      version: v1
      kind: Deployment
images:
$images
EOF

{
  cat <<EOF
# Flux $FLUX_VERSION for the local cluster (the equivalent of \`flux install\`'s gotk-components.yaml):
# source-controller $SOURCE_CONTROLLER_VERSION, kustomize-controller $KUSTOMIZE_CONTROLLER_VERSION, helm-controller $HELM_CONTROLLER_VERSION,
# notification-controller $NOTIFICATION_CONTROLLER_VERSION, images flotilla.local/<controller>:<version> (tools/platform/flux.sh).
# Generated by tools/platform/flux-components.sh with kustomize $(kustomize version) from the controllers'
# config/ and flux2 $FLUX_VERSION's manifests/ in the Go module cache. Do not edit: regenerate.
EOF
  kustomize build "$tmp"
} >"$tmp/out.yaml"

if [[ "$out" == - ]]; then cat "$tmp/out.yaml"; else mkdir -p "$(dirname "$out")" && cp "$tmp/out.yaml" "$out"; fi
