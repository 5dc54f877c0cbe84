# shellcheck shell=bash
# Publishing to the in-cluster registry, with the delivery pipeline's own steps (pipeline/): the
# fleet's images built, given an SBOM, pushed, signed and verified exactly as a CI run does; the
# chart pushed as an OCI artifact and signed; deploy/flux published as a signed Flux OCI artifact
# with the local environment's image digests and chart digest written into it (as pipeline/promote
# writes dev's into git). Nothing of it changes the working tree.

POUT=$PSTATE/out   # the pipeline's FLOTILLA_OUT
SOURCE=$(cd "${PLATFORM_SOURCE:-$REPO}" && pwd) || die "PLATFORM_SOURCE=${PLATFORM_SOURCE:-} is not a directory"
[[ -f "$SOURCE/deploy/flux/clusters/local/kustomization.yaml" ]] ||
  die "$SOURCE holds no deploy/flux/clusters/local: PLATFORM_SOURCE must be a checkout of this repository"
ARTIFACT_REPO=$REGISTRY/flotilla/manifests
CHART_REPO=$REGISTRY/flotilla/charts

# pipeline STEP [ARGS...]: a pipeline step, with the output folder and the registry's trust
pipeline() {
  FLOTILLA_OUT=$POUT SSL_CERT_FILE=$PPKI/trust.pem REGISTRY=$REGISTRY \
    COSIGN_KEY=$PPKI/cosign.key COSIGN_PASSWORD=$(cat "$PPKI/cosign.password") \
    COSIGN_PUBLIC_KEY=$PPKI/cosign.pub in_node bash "$REPO/pipeline/$1" "${@:2}"
}

fleet_revision() { # what the images are built from: the commit, and a dirty tree's state
  local rev
  rev=$(git -C "$REPO" rev-parse HEAD)
  [[ -z "$(git -C "$REPO" status --porcelain --untracked-files=no -- services packages apps deploy/docker)" ]] ||
    rev="$rev-dirty-$(git -C "$REPO" diff HEAD -- services packages apps deploy/docker | sha256sum | cut -c1-12)"
  echo "$rev"
}

publish_fleet() {
  local rev log=$PLATFORM_LOGS/publish.log svc missing=0
  rev=$(fleet_revision)
  mkdir -p "$POUT"
  if [[ "$(cat "$POUT/published" 2>/dev/null)" == "$rev" ]]; then
    for svc in $("$REPO/node_modules/.bin/node" "$REPO/scripts/registry.ts" names); do
      in_node env SSL_CERT_FILE="$PPKI/trust.pem" "$TOOLS_BIN/crane" digest "$(cat "$POUT/pushed/$svc")" >/dev/null 2>&1 || missing=1
    done
    ((missing)) || { echo "fleet of $rev already published" >"$log"; return 0; }
  fi
  (
    WORK=$PLATFORM_LOGS # where the engine helper keeps dockerd's log
    source "$REPO/tools/lib/docker-engine.sh"
    started=0
    engine_answers || { start_engine && started=1; }
    trap '((started)) && stop_engine' EXIT
    # the steps a CI run takes (pipeline/pipeline), in that order; every service, as on a first run
    STANDIN_BASES=1 FLOTILLA_OUT=$POUT bash "$REPO/pipeline/build-images" &&
      FLOTILLA_OUT=$POUT bash "$REPO/pipeline/sbom"
  ) >"$log" 2>&1 || die "building the fleet's images failed: $(tail -n 3 "$log")"
  { pipeline push && pipeline sign && pipeline verify; } >>"$log" 2>&1 ||
    die "publishing the fleet failed: $(tail -n 3 "$log")"
  echo "$rev" >"$POUT/published"
}

# the chart as an OCI artifact, versioned by its content (a changed chart is a new version, never a
# moved tag), signed; prints its digest
publish_chart() {
  local log=$PLATFORM_LOGS/chart.log sum version ref digest
  sum=$(cd "$SOURCE/deploy/helm/flotilla" && find . -type f ! -path './tests/*' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12)
  version=$(sed -n 's/^version: *//p' "$SOURCE/deploy/helm/flotilla/Chart.yaml")-local.$sum
  ref=$CHART_REPO/flotilla:$version
  if ! digest=$(in_node env SSL_CERT_FILE="$PPKI/trust.pem" "$TOOLS_BIN/crane" digest "$ref" 2>>"$log"); then
    rm -rf "$PSTATE/chart" && mkdir -p "$PSTATE/chart"
    "$TOOLS_BIN/helm" package "$SOURCE/deploy/helm/flotilla" --version "$version" -d "$PSTATE/chart" >>"$log" 2>&1 ||
      die "helm package failed: $(tail -n 2 "$log")"
    in_node "$TOOLS_BIN/helm" push "$PSTATE/chart/flotilla-$version.tgz" "oci://$CHART_REPO" \
      --ca-file "$PPKI/platform-ca.crt" >>"$log" 2>&1 || die "helm push failed: $(tail -n 2 "$log")"
    digest=$(in_node env SSL_CERT_FILE="$PPKI/trust.pem" "$TOOLS_BIN/crane" digest "$ref" 2>>"$log") ||
      die "the chart is not in the registry after helm push"
  fi
  cosign_sign "$CHART_REPO/flotilla@$digest" >>"$log" 2>&1 || die "signing the chart failed: $(tail -n 2 "$log")"
  echo "$digest"
}

cosign_sign() { # ref: signed by the pipeline's key unless it already verifies with it
  local env=(SSL_CERT_FILE="$PPKI/trust.pem" COSIGN_PASSWORD="$(cat "$PPKI/cosign.password")")
  local offline=(--key "$PPKI/cosign.pub" --insecure-ignore-tlog=true --insecure-ignore-sct=true)
  in_node env "${env[@]}" "$TOOLS_BIN/cosign" verify "${offline[@]}" "$1" >/dev/null 2>&1 && return 0
  in_node env "${env[@]}" "$TOOLS_BIN/cosign" sign --yes --key "$PPKI/cosign.key" --tlog-upload=false "$1"
}

# deploy/flux as a signed Flux OCI artifact, tag `local` (the channel the cluster follows, as a
# branch), with the local environment's image and chart digests written into its copy.
# PLATFORM_SOURCE: the checkout whose deploy/ is published (default: this one)
publish_manifests() {
  local log=$PLATFORM_LOGS/manifests.log stage=$PSTATE/stage chart_digest digest
  chart_digest=$(publish_chart)
  rm -rf "$stage" && mkdir -p "$stage/deploy"
  cp -r "$SOURCE/deploy/flux" "$stage/deploy/flux"
  python3 "$PLATFORM_DIR/lib/release_values.py" "$stage/deploy/flux/apps/local" "$chart_digest" "$POUT"/pushed/* \
    >>"$log" 2>&1 || die "cannot write the local release's digests: $(tail -n 2 "$log")"
  digest=$(in_node env SSL_CERT_FILE="$PPKI/trust.pem" "$TOOLS_BIN/flux" push artifact "oci://$ARTIFACT_REPO:local" \
    --path "$stage" --source "$(git -C "$REPO" config --get remote.origin.url || echo "$REPO")" \
    --revision "local@sha1:$(git -C "$REPO" rev-parse HEAD)" --reproducible >>"$log" 2>&1 &&
    in_node env SSL_CERT_FILE="$PPKI/trust.pem" "$TOOLS_BIN/crane" digest "$ARTIFACT_REPO:local" 2>>"$log") ||
    die "flux push artifact failed: $(tail -n 2 "$log")"
  cosign_sign "$ARTIFACT_REPO@$digest" >>"$log" 2>&1 || die "signing the manifests failed: $(tail -n 2 "$log")"
  echo "$digest" >"$PSTATE/manifests.digest"
}
