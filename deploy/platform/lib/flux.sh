# shellcheck shell=bash
# Flux on the local platform: its controllers as pods (deploy/flux/clusters/local/flux-system:
# gotk-components.yaml, images built here), bootstrapped from the signed manifests artifact in the
# in-cluster registry (gotk-sync.yaml); then Flux reconciles deploy/flux/clusters/local by itself.

FLUX_LOCAL=$REPO/deploy/flux/clusters/local

flux_up() {
  k apply --server-side --force-conflicts -f "$FLUX_LOCAL/flux-system/gotk-components.yaml" >"$PLATFORM_LOGS/flux-components.log" 2>&1 ||
    die "cannot apply Flux's components: $(tail -n 2 "$PLATFORM_LOGS/flux-components.log")"
  k -n flux-system rollout status deployment --timeout=180s >/dev/null 2>&1 ||
    die "Flux's controllers did not become Ready: $(k -n flux-system get pods --no-headers 2>&1 | head -n 4)"
}

# The values only this instance knows, substituted by kustomize-controller (postBuild) into the
# infrastructure and the fleet; the registry's CA and the signing public key, which source-controller
# verifies every artifact with.
flux_bootstrap() {
  k -n flux-system create configmap cluster-vars \
    --from-literal=CLUSTER_NAME="$CLUSTER" --from-literal=CLUSTER_STATE="$STATE" \
    --from-literal=POD_LOGS_DIR="$STATE/pod-logs" --from-literal=REGISTRY="$REGISTRY" \
    --dry-run=client -o yaml | k apply --server-side -f - >/dev/null || die "cannot write flux-system/cluster-vars"
  k -n flux-system create secret generic registry-ca --from-file=ca.crt="$PPKI/platform-ca.crt" \
    --dry-run=client -o yaml | k apply --server-side -f - >/dev/null || die "cannot store the registry's CA"
  k -n flux-system create secret generic cosign-pub --from-file=cosign.pub="$PPKI/cosign.pub" \
    --dry-run=client -o yaml | k apply --server-side -f - >/dev/null || die "cannot store the signing key"
  # store's databases' credentials, generated here, never committed (read by the databases and store)
  KUBECTL="${KUBECTL_HOST[*]}" bash "$REPO/deploy/flux/infrastructure/local/databases/secrets.sh" flotilla \
    >"$PLATFORM_LOGS/secrets.log" 2>&1 || die "cannot write the databases' credentials: $(tail -n 2 "$PLATFORM_LOGS/secrets.log")"
  k apply --server-side -f "$FLUX_LOCAL/flux-system/gotk-sync.yaml" >/dev/null || die "cannot apply the Flux sync objects"
  flux_reconcile
}

# flux_reconcile: asks source-controller to fetch the artifact now, and the Kustomizations to apply it
flux_reconcile() {
  local now
  now=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)
  k -n flux-system annotate --overwrite ocirepository/flux-system "reconcile.fluxcd.io/requestedAt=$now" >/dev/null
  k -n flux-system annotate --overwrite kustomization --all "reconcile.fluxcd.io/requestedAt=$now" >/dev/null 2>&1 || true
}

flux_status() { k get ocirepositories,kustomizations,helmreleases -A -o json | python3 "$PLATFORM_DIR/lib/readiness.py" flux; }
flux_not_ready() { flux_status 2>&1 | grep -v ' Ready ' | head -n 5; }
flux_wait() { # seconds
  local deadline=$((SECONDS + $1))
  until flux_status >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 5
  done
}

# failed_pods_logs: the last lines of every Failed pod (a hook Job's, a test's), so that a release
# that failed says why without a second command
failed_pods_logs() {
  local ns name
  k get pods -A --field-selector=status.phase=Failed \
    -o jsonpath='{range .items[*]}{.metadata.namespace} {.metadata.name}{"\n"}{end}' 2>/dev/null | head -n 3 |
    while read -r ns name; do
      echo "failed pod $ns/$name, its last lines:"
      k -n "$ns" logs "$name" --all-containers --tail=6 2>&1 | cut -c1-400 | sed 's/^/  /'
    done
}

pods_status() { k get pods -A -o json | python3 "$PLATFORM_DIR/lib/readiness.py" pods "$@"; } # [--since TIME]
pods_not_ready() { pods_status "$@" 2>&1 | grep -v ' Ready ' | head -n 5; }
pods_wait() { # seconds [--since TIME]
  local deadline=$((SECONDS + $1))
  shift
  until pods_status "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 3
  done
}

cmd_status() {
  echo "Flux objects:"
  flux_status | sed 's/^/  /' || true
  echo "pods:"
  pods_status | sed 's/^/  /' || true
  echo "registry https://$REGISTRY:"
  local repo
  for repo in $(in_node env SSL_CERT_FILE="$PPKI/trust.pem" "$TOOLS_BIN/crane" catalog "$REGISTRY" 2>/dev/null); do
    echo "  $repo: $(in_node env SSL_CERT_FILE="$PPKI/trust.pem" "$TOOLS_BIN/crane" ls "$REGISTRY/$repo" 2>/dev/null | grep -v '^sha256-' | tr '\n' ' ')"
  done
}

cmd_sync() {
  publish_manifests
  step "manifests published ($(cut -c1-19 "$PSTATE/manifests.digest"))"
  flux_reconcile
  flux_wait 600 || die "not every Flux object became Ready: $(flux_not_ready)
$(failed_pods_logs)"
  step "reconciled"
}

# open: every UI on the host's loopback at once, until Ctrl-C
cmd_open() {
  local pids=() spec ns svc lport rport name
  for spec in "web flotilla flotilla-web 31080 80" "prometheus monitoring prometheus-operated 31090 9090" \
    "alertmanager monitoring alertmanager-operated 31093 9093" "logs observability victoria-logs 31428 9428" \
    "traces observability jaeger 31686 16686"; do
    read -r name ns svc lport rport <<<"$spec"
    k -n "$ns" get service "$svc" >/dev/null 2>&1 || { echo "  $name: no service $ns/$svc (yet)"; continue; }
    k -n "$ns" port-forward "service/$svc" "$lport:$rport" >/dev/null 2>&1 &
    pids+=($!)
    echo "  $name: http://127.0.0.1:$lport/"
  done
  trap 'kill "${pids[@]}" 2>/dev/null' EXIT INT TERM
  echo "Ctrl-C stops the forwards."
  wait
}

print_where() {
  cat <<WHERE

The platform is up on cluster '$CLUSTER': Flux reconciles oci://$ARTIFACT_REPO:local (signed), the fleet
runs from $REGISTRY by digest.
  look:     npm run platform -- open      (dashboard, Prometheus, Alertmanager, logs, traces)
  status:   npm run platform -- status
  change:   edit deploy/flux (e.g. MESSAGES in deploy/flux/apps/local/release/flotilla-values.yaml), then
            npm run platform -- sync
  kubectl:  npm run cluster -- kubectl get pods -A
  stop:     npm run platform -- stop      (keeps everything; up starts it again)
  remove:   npm run platform -- down
WHERE
}
