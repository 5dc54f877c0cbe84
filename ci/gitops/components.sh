# shellcheck shell=bash
# Flux's own manifests for the local cluster (deploy/flux/clusters/local/flux-system/gotk-components.yaml)
# are generated (tools/platform/flux-components.sh, from the pinned controllers' config/ and flux2's
# manifests/ in the Go module cache): the committed file must be exactly what a fresh generation
# writes, so a version raised in tools/versions/flux.sh, or a hand edit, cannot go unnoticed.
# Sourced by a tier after the harness; defines:
#   components_checks WORK    the check, and its negative control (a one-line change is caught)
# Needs: ROOT, go and kustomize (tools/gitops.sh, tools/k8s.sh).

FLUX_COMPONENTS=deploy/flux/clusters/local/flux-system/gotk-components.yaml

# components_same COMMITTED FRESH: equal, or the start of the difference and how to fix it.
components_same() {
  diff -u "$1" "$2" >"$2.diff" && return 0
  head -n 30 "$2.diff"
  echo "$1 is not what tools/platform/flux-components.sh generates: run it and commit the result"
  return 1
}

components_differ() { ! components_same "$1" "$2" >/dev/null; }

components_checks() {
  local fresh=$1/gotk-components.fresh.yaml changed=$1/gotk-components.changed.yaml
  if ! gate "flux components: tools/platform/flux-components.sh generates" \
    bash "$ROOT/tools/platform/flux-components.sh" "$fresh"; then
    return 1
  fi
  check "flux components: $FLUX_COMPONENTS is what the generator writes" components_same "$ROOT/$FLUX_COMPONENTS" "$fresh"
  # control: the committed file with one image tag changed must be told apart
  sed '0,/image: flotilla.local\//s//image: flotilla.local\/edited-/' "$ROOT/$FLUX_COMPONENTS" >"$changed"
  check "flux components: (control) a file with one image edited is caught" \
    components_differ "$changed" "$fresh"
}
