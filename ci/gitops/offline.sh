# shellcheck shell=bash
# The offline half of tier gitops (sourced by ci/tier-gitops.sh, after the harness): every Flux
# object of every cluster entry point (deploy/flux/clusters/<env>) built the way
# kustomize-controller builds it (`flux build ks`), every overlay built by kustomize, all of it
# validated by kubeconform -strict against the Kubernetes schemas and the JSON schemas of the
# pinned Flux CRDs, the cluster rules of ci/gitops/check-flux.py, and each HelmRelease's values
# rendered with the chart and held to the chart's render rules (ci/k8s/assert-render.py).
# Each check has a negative control that feeds it the bad case.
# Needs: ROOT, WORK, FLUX_CRDS, PY (the venv's python), the harness.

FLUX_ROOT=deploy/flux

# offline_schemas: lays out the schemas; sets KUBECONFORM (the command, with both locations).
offline_schemas() {
  local k8s_schemas=${FLOTILLA_CACHE:-$HOME/.cache/flotilla}/k8s-schemas flux_schemas=$WORK/flux-schemas v
  # the CRDs of Flux and of the local platform's prometheus-operator (what its manifests create)
  "$PY" ci/gitops/crd-schemas.py "$flux_schemas" "$FLUX_CRDS"/*.yaml deploy/flux/infrastructure/local/monitoring/crds/*.yaml \
    >"$WORK/flux-schemas.txt" || return 1
  # the newest Kubernetes schemas kubernetes-validate ships (tier k8s covers the older ones)
  v=$("$PY" ci/k8s/kube-schemas.py "$k8s_schemas" 1) || return 1
  KUBECONFORM=(kubeconform -strict -summary -kubernetes-version "$v"
    -schema-location "$k8s_schemas/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json"
    -schema-location "$flux_schemas/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json")
  echo "Kubernetes $v schemas; Flux CRD schemas: $(tr '\n' ',' <"$WORK/flux-schemas.txt")"
}

# flux_build CLUSTER NAME PATH FILE OUT: one Kustomization of a cluster, as the controller builds it.
# `flux build` writes the Flux Kustomization's overrides into PATH's kustomization.yaml while it
# builds and puts the file back after, so it builds a copy of deploy/flux ($WORK/flux-tree), taken once:
# tier platform, beside this tier in .ci/run, publishes deploy/flux from the working tree, and once
# published such a half-written file (the manifests' digest changed under a second `up`).
flux_build() {
  local tree=$WORK/flux-tree
  [[ -d "$tree/$FLUX_ROOT" ]] || { mkdir -p "$tree/deploy" && cp -r "$ROOT/$FLUX_ROOT" "$tree/deploy/"; } || return 1
  flux build ks "$2" --path "$tree/${3#./}" --kustomization-file "$4" --dry-run >"$5"
}
# changed_since STAMP DIR: the files of DIR's deploy/flux changed after STAMP
changed_since() { find "$2/$FLUX_ROOT" -type f -newer "$1"; }
untouched_since() { # STAMP: nothing of the working tree's deploy/flux changed
  local changed
  changed=$(changed_since "$1" "$ROOT")
  [[ -z "$changed" ]] || fail "changed while the tier ran: $changed"
}
# rewrites_in_place: the reason for the copy, shown: `flux build` on a tree touches its files
rewrites_in_place() {
  local t=$WORK/neg-inplace
  mkdir -p "$t/deploy" && cp -r "$ROOT/$FLUX_ROOT" "$t/deploy/" && touch "$t/stamp" && sleep 1 &&
    flux build ks apps --path "$t/$FLUX_ROOT/apps/dev" --kustomization-file "$FLUX_ROOT/clusters/dev/apps.yaml" --dry-run >/dev/null &&
    [[ -n "$(changed_since "$t/stamp" "$t")" ]]
}

# values_of BUILD OUT: the values of the (one) HelmRelease in a build as `helm -f` arguments, one
# a line: its chart's valuesFiles (paths in the repository), then its inline values (written to OUT).
values_of() { # APPS-RENDER OUT-DIR
  mkdir -p "$2" && "$PY" ci/gitops/release-values.py "$1" "$2"
}

# same_as_overlay HELM-RENDER OVERLAY-RENDER: the Kustomize flavour (deploy/kustomize/overlays/<env>/
# flotilla.yaml, npm run generate) holds exactly the objects the HelmRelease renders, but the helm
# test hooks, relabelled managed-by kustomize, without the chart label and the namespace: both
# install paths read one declaration of the environment.
same_as_overlay() {
  "$PY" - "$1" "$2" <<'EOF'
import sys, yaml
def objects(path, from_helm):
    out = {}
    for d in yaml.safe_load_all(open(path)):
        if not d or (from_helm and d["metadata"].get("annotations", {}).get("helm.sh/hook") == "test"):
            continue
        if from_helm:
            d["metadata"].pop("namespace", None)
            for labels in [d["metadata"].get("labels", {}), d.get("spec", {}).get("template", {}).get("metadata", {}).get("labels", {})]:
                labels.pop("helm.sh/chart", None)
                if labels.get("app.kubernetes.io/managed-by") == "Helm":
                    labels["app.kubernetes.io/managed-by"] = "kustomize"
        out[(d["kind"], d["metadata"]["name"])] = d
    return out
helm, overlay = objects(sys.argv[1], True), objects(sys.argv[2], False)
bad = sorted(set(helm) ^ set(overlay)) + sorted(k for k in set(helm) & set(overlay) if helm[k] != overlay[k])
for k in bad:
    print(f"{k[0]}/{k[1]}: differs between the HelmRelease's render and {sys.argv[2]}")
sys.exit(1 if bad else 0)
EOF
}

# expect_failure GREP CMD...: CMD must fail, and say GREP (the check it guards said why).
expect_failure() {
  local want=$1
  shift
  if "$@" >"$WORK/neg.out" 2>&1; then
    cat "$WORK/neg.out"
    fail "succeeded on a bad input"
    return
  fi
  grep -q -- "$want" "$WORK/neg.out" || { cat "$WORK/neg.out"; fail "failed, but without saying '$want'"; }
}

offline_checks() {
  local R=$WORK/render dir env name path file layer ns args
  mkdir -p "$R"
  touch "$WORK/stamp" && sleep 1
  check "Kubernetes and Flux CRD JSON schemas (kubeconform layout)" offline_schemas
  for dir in "$FLUX_ROOT"/clusters/*/; do
    env=$(basename "$dir")
    # the overlays on their own (kustomize), then each Kustomization as Flux builds it
    for layer in infrastructure apps; do
      check "kustomize build $layer/$env" sh -c "kustomize build $FLUX_ROOT/$layer/$env >$R/kustomize-$layer-$env.yaml"
      check "kubeconform -strict kustomize build $layer/$env" "${KUBECONFORM[@]}" "$R/kustomize-$layer-$env.yaml"
    done
    args=()
    while read -r name path file; do
      check "flux build ks $name (clusters/$env)" flux_build "$env" "$name" "$path" "$file" "$R/$env-$name.yaml"
      check "kubeconform -strict $name (clusters/$env)" "${KUBECONFORM[@]}" "$R/$env-$name.yaml"
      args+=("$name=$R/$env-$name.yaml")
    done < <("$PY" ci/gitops/flux-kustomizations.py "$FLUX_ROOT/clusters/$env")
    check "cluster rules: clusters/$env (check-flux.py)" "$PY" ci/gitops/check-flux.py "$ROOT" "${args[@]}"
    # The HelmRelease's values through the chart: its schema, the Kubernetes schemas, the render rules.
    mapfile -t args < <(values_of "$R/$env-apps.yaml" "$R/values-$env")
    ns=$(cat "$R/values-$env/namespace")
    check "helm template with the $env HelmRelease's values (${args[*]})" \
      sh -c 'out=$1; shift; helm template flotilla deploy/helm/flotilla "$@" >"$out"' _ "$R/helm-$env.yaml" -n "$ns" "${args[@]}"
    check "kubeconform -strict chart render ($env values)" "${KUBECONFORM[@]}" "$R/helm-$env.yaml"
    check "render rules: flux-$env (assert-render.py)" "$PY" ci/k8s/assert-render.py "flux-$env" "$R/helm-$env.yaml"
    # the local platform is Flux's only (npm run platform): no Kustomize flavour
    [[ "$env" == local ]] ||
      check "the Kustomize flavour of $env is this release's render (deploy/kustomize/overlays/$env/flotilla.yaml)" \
        same_as_overlay "$R/helm-$env.yaml" "deploy/kustomize/overlays/$env/flotilla.yaml"
  done
  check "flux build left the working tree's deploy/flux untouched (it built a copy)" untouched_since "$WORK/stamp"
  check "(control) flux build on a tree rewrites its kustomization.yaml files in place" rewrites_in_place
  offline_negative_controls "$R"
}

offline_negative_controls() {
  local R=$1 N=$WORK/neg
  mkdir -p "$N"
  sed 's/remediateLastFailure:/remediateLastFailures:/' "$R/dev-apps.yaml" >"$N/typo.yaml"
  check "kubeconform rejects a misspelt HelmRelease field" \
    expect_failure remediateLastFailures "${KUBECONFORM[@]}" "$N/typo.yaml"
  sed 's/prune: true/prune: "yes"/' "$R/dev-flux-system.yaml" >"$N/type.yaml"
  check "kubeconform rejects a Kustomization field of the wrong type" \
    expect_failure prune "${KUBECONFORM[@]}" "$N/type.yaml"

  local infra=infrastructure="$R/dev-infrastructure.yaml" apps=apps="$R/dev-apps.yaml"
  sed 's/prune: true/prune: false/' "$R/dev-flux-system.yaml" >"$N/noprune.yaml"
  check "cluster rules reject a Kustomization that does not prune" \
    expect_failure "Kustomization/apps: prune: true" "$PY" ci/gitops/check-flux.py "$ROOT" \
    flux-system="$N/noprune.yaml" "$infra" "$apps"
  "$PY" - "$R/dev-flux-system.yaml" "$N/nodeps.yaml" <<'EOF'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
for d in docs:
    if d["kind"] == "Kustomization" and d["metadata"]["name"] == "apps":
        d["spec"].pop("dependsOn")
yaml.safe_dump_all(docs, open(sys.argv[2], "w"))
EOF
  check "cluster rules reject apps that do not depend on the namespace's Kustomization" \
    expect_failure "must dependsOn infrastructure" "$PY" ci/gitops/check-flux.py "$ROOT" \
    flux-system="$N/nodeps.yaml" "$infra" "$apps"
  sed '/remediateLastFailure: true/d' "$R/dev-apps.yaml" >"$N/noroll.yaml"
  check "cluster rules reject a HelmRelease that does not roll back its last failure" \
    expect_failure remediateLastFailure "$PY" ci/gitops/check-flux.py "$ROOT" \
    flux-system="$R/dev-flux-system.yaml" "$infra" apps="$N/noroll.yaml"
  sed '0,/url: /s#url: .*#url: https://elsewhere.example.com/other.git#' "$R/prod-flux-system.yaml" >"$N/url.yaml"
  check "cluster rules reject GitRepositories of one cluster pointing at different URLs" \
    expect_failure "different URLs" "$PY" ci/gitops/check-flux.py "$ROOT" \
    flux-system="$N/url.yaml" infrastructure="$R/prod-infrastructure.yaml" apps="$R/prod-apps.yaml"

  sed 's/provider: cosign/provider: notation/' "$R/local-apps.yaml" >"$N/unverified-chart.yaml"
  check "cluster rules reject a chart artifact whose signature is not verified with cosign (local)" \
    expect_failure "does not verify the chart's signature" "$PY" ci/gitops/check-flux.py "$ROOT" \
    flux-system="$R/local-flux-system.yaml" infrastructure="$R/local-infrastructure.yaml" apps="$N/unverified-chart.yaml"

  sed 's/^  replicas: 1$/  replica: 1/' "$FLUX_ROOT/apps/dev/flotilla-values.yaml" >"$N/values-typo.yaml"
  check "the chart's schema rejects a misspelt value in an environment's values" \
    expect_failure replica helm template flotilla deploy/helm/flotilla -f "$N/values-typo.yaml"
  check "the dev Kustomize flavour is not prod's release render (negative control)" \
    expect_failure differs same_as_overlay "$R/helm-prod.yaml" deploy/kustomize/overlays/dev/flotilla.yaml
  check "render rules of dev reject the prod render" \
    expect_failure replicas "$PY" ci/k8s/assert-render.py flux-dev "$R/helm-prod.yaml"

  # the upstream add-ons (infrastructure/upstream): pinned, ordered, time enough
  local fs=flux-system="$R/dev-flux-system.yaml" mutate=("$PY" ci/gitops/mutate-flux.py "$R/dev-infrastructure.yaml")
  "${mutate[@]}" "$N/range.yaml" HelmRelease/ingress-nginx/ingress-nginx 'spec.chart.spec.version=">=4.15.1"' &&
    check "cluster rules reject an upstream chart version that is a range, not pinned" \
      expect_failure "is not pinned" "$PY" ci/gitops/check-flux.py "$ROOT" "$fs" infrastructure="$N/range.yaml" "$apps"
  "${mutate[@]}" "$N/crd-order.yaml" HelmRelease/monitoring/kube-prometheus-stack 'spec.dependsOn!' &&
    check "cluster rules reject a release making PodMonitors/ServiceMonitors that does not depend on the CRDs' release" \
      expect_failure "must dependsOn the CRDs' release" "$PY" ci/gitops/check-flux.py "$ROOT" "$fs" infrastructure="$N/crd-order.yaml" "$apps"
  "${mutate[@]}" "$N/dangling.yaml" HelmRelease/tracing/jaeger 'spec.dependsOn=[{name: no-such-release}]' &&
    check "cluster rules reject a HelmRelease depending on a release the cluster does not have" \
      expect_failure "not a HelmRelease of this cluster" "$PY" ci/gitops/check-flux.py "$ROOT" "$fs" infrastructure="$N/dangling.yaml" "$apps"
  "$PY" ci/gitops/mutate-flux.py "$R/dev-flux-system.yaml" "$N/short.yaml" Kustomization/flux-system/infrastructure 'spec.timeout=2m' &&
    check "cluster rules reject an infrastructure timeout shorter than its releases' dependsOn chain" \
      expect_failure "shorter than its HelmReleases' longest dependsOn chain" "$PY" ci/gitops/check-flux.py "$ROOT" \
      flux-system="$N/short.yaml" "$infra" "$apps"

  mkdir -p "$N/tree/deploy/flux/apps"
  cp -r "$FLUX_ROOT/apps/." "$N/tree/deploy/flux/apps/"
  sed -i 's#- ../base/flotilla#- ../base/missing#' "$N/tree/deploy/flux/apps/dev/kustomization.yaml"
  check "flux build fails on an overlay naming a missing base" \
    expect_failure missing flux build ks apps --path "$N/tree/deploy/flux/apps/dev" \
    --kustomization-file "$FLUX_ROOT/clusters/dev/apps.yaml" --dry-run
}
