# shellcheck shell=bash
# Tier cluster: the Kustomize overlays accepted by the live API server (server-side apply, dry
# run: admission, schemas and Pod Security of their own namespaces), and dev applied for real
# with the images the containers tier built (as a pipeline would: `images:` in an overlay).

# The overlay's own Namespace is created for real first (a dry run persists nothing, so the
# namespaced objects would not find it), then every object is dry-run.
overlay_dry_run() {
  kc kustomize "$ROOT/deploy/kustomize/overlays/$1" >"$WORK/overlay-$1.yaml" || return 1
  kc apply --server-side --field-manager=flotilla-ci -f "$ROOT/deploy/kustomize/overlays/$1/namespace.yaml" >/dev/null || return 1
  kc apply --server-side --dry-run=server --field-manager=flotilla-ci -f "$WORK/overlay-$1.yaml"
}

# (control) the same dry run rejects an object the API server cannot accept
overlay_rejects_bad() {
  sed 's/^\(  *\)replicas: 1$/\1replicas: "one"/' "$WORK/overlay-dev.yaml" >"$WORK/overlay-bad.yaml"
  cmp -s "$WORK/overlay-dev.yaml" "$WORK/overlay-bad.yaml" && fail "the control found no replicas to break"
  ! kc apply --server-side --dry-run=server --field-manager=flotilla-ci -f "$WORK/overlay-bad.yaml" >/dev/null 2>&1 ||
    fail "the API server accepted replicas: \"one\""
}

dev_applied() {
  local dir=$WORK/overlay-dev-ci svc registry
  # dev's images are <its global.imageRegistry>/<service>; here they are the ones loaded into the node
  registry=$(sed -n 's/^  imageRegistry: *//p' "$ROOT/deploy/flux/apps/dev/flotilla-values.yaml")
  [[ -n "$registry" ]] || { fail "no global.imageRegistry in dev's values"; return 1; }
  mkdir -p "$dir"
  {
    echo "apiVersion: kustomize.config.k8s.io/v1beta1"
    echo "kind: Kustomization"
    echo "resources: [$(realpath --relative-to="$dir" "$ROOT/deploy/kustomize/overlays/dev")]"
    echo "images:"
    for svc in $("$ROOT/node_modules/.bin/node" "$ROOT/scripts/registry.ts" names); do
      echo "  - {name: $registry/$svc, newName: flotilla/$svc, newTag: $TAG}"
    done
  } >"$dir/kustomization.yaml"
  kc apply --server-side --field-manager=flotilla-ci -k "$dir" >/dev/null || return 1
  local ns=flotilla-dev
  kc -n "$ns" wait --for=condition=Available deploy --all --timeout=180s >/dev/null || fail "dev overlay not Available"
  all_ready "$ns"
  kc delete namespace "$ns" --wait=false >/dev/null
}

scenario_kustomize() {
  check "kustomize dev overlay accepted by the API server (server-side apply, dry run)" overlay_dry_run dev
  check "kustomize prod overlay accepted by the API server (server-side apply, dry run)" overlay_dry_run prod
  check "(control) the server-side dry run rejects a broken object" overlay_rejects_bad
  check "kustomize dev overlay applied for real (images :$TAG): every pod Ready" dev_applied
  kc delete namespace flotilla-prod --wait=false >/dev/null 2>&1
}
