# shellcheck shell=bash
# Who checks what is signed, on the local platform (docs/platform.md, "Signatures"):
#   images     the pipeline's deploy gate (pipeline/verify): nothing reaches the release's values
#              unless its signature and SBOM attestation verify with the pipeline's key
#   artifacts  source-controller (OCIRepository spec.verify, cosign): the manifests and the chart
#              are applied only when their signature verifies with the same key

scenario_signatures() {
  EVERY=2 check "source-controller verified the manifests' and the chart's signatures (SourceVerified)" \
    eventually 60 sources_verified
  check "the deploy gate accepts the fleet's images (signed, SBOM attested)" verify_fleet
  check "the deploy gate refuses an image of the registry that nobody signed (negative control)" \
    expect_failure "REFUSED" verify_unsigned
  check "source-controller refuses a chart signed by another key: its OCIRepository is not Ready (negative control)" \
    chart_other_key_refused
}

sources_verified() {
  local name v
  for name in flux-system flotilla-chart; do
    v=$(kc -n flux-system get ocirepository "$name" -o jsonpath='{.status.conditions[?(@.type=="SourceVerified")].status}')
    [[ "$v" == True ]] || { fail "OCIRepository $name: SourceVerified is '$v'"; return 1; }
  done
}

verify_gate() { # ref...
  in_node env FLOTILLA_OUT="$WORK/verify" SSL_CERT_FILE="$PSTATE/pki/trust.pem" \
    COSIGN_PUBLIC_KEY="$PSTATE/pki/cosign.pub" bash "$ROOT/pipeline/verify" "$@"
}
verify_fleet() { verify_gate "$(cat "$PSTATE/out/pushed/hello")" "$(cat "$PSTATE/out/pushed/web")"; }

# hello's image with one more annotation: a new digest in the registry, never signed
verify_unsigned() {
  local ref
  ref=$(crane_node mutate --annotation flotilla.dev/unsigned=true -t "$REGISTRY/flotilla/unsigned:test" \
    "$(cat "$PSTATE/out/pushed/hello")") || { echo "crane mutate failed"; return 0; }
  verify_gate "$ref"
}

chart_other_key_refused() {
  local chart ref out
  chart=$(kc -n flux-system get ocirepository flotilla-chart -o jsonpath='{.spec.url}')
  chart=${chart#oci://}@$(kc -n flux-system get ocirepository flotilla-chart -o jsonpath='{.spec.ref.digest}')
  ref=$REGISTRY/flotilla/untrusted/flotilla
  crane_node copy "$chart" "$ref:test" >/dev/null 2>&1 || { fail "cannot copy the chart"; return 1; }
  (cd "$WORK" && COSIGN_PASSWORD=other "$FLOTILLA_CACHE/bin/cosign" generate-key-pair --output-key-prefix other >/dev/null 2>&1) ||
    { fail "cannot make another key"; return 1; }
  in_node env SSL_CERT_FILE="$PSTATE/pki/trust.pem" COSIGN_PASSWORD=other "$FLOTILLA_CACHE/bin/cosign" sign --yes \
    --key "$WORK/other.key" --tlog-upload=false "$ref@$(crane_node digest "$ref:test")" >/dev/null 2>&1 ||
    { fail "cannot sign the copy with the other key"; return 1; }
  kc apply -f - >/dev/null <<YAML || return 1
apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: untrusted-chart
  namespace: flux-system
spec:
  interval: 10m
  url: oci://$ref
  ref: {tag: test}
  layerSelector: {mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip, operation: copy}
  certSecretRef: {name: registry-ca}
  verify: {provider: cosign, secretRef: {name: cosign-pub}}
YAML
  refused() {
    out=$(kc -n flux-system get ocirepository untrusted-chart -o jsonpath='{.status.conditions[?(@.type=="Ready")].status} {.status.conditions[?(@.type=="Ready")].message}')
    echo "$out"
    [[ "$out" == False* && "$out" == *verif* ]]
  }
  EVERY=2 eventually 60 refused
  local rc=$?
  kc -n flux-system delete ocirepository untrusted-chart --wait=false >/dev/null
  return $rc
}
