# shellcheck shell=bash
# Flux's controllers as pods (deploy/flux/clusters/local/flux-system/gotk-components.yaml):
# scenarios against the platform's cluster, on which they are installed. Each makes its own sources in the cluster's network
# namespace: a git server (ci/gitops/git-server.sh) and a webhook receiver (ci/lib/webhook-sink.py),
# each on its loopback and forwarded by socat from the node address, where pods reach them.
# Objects of the scenarios live in namespace flux-test (restricted Pod Security).
# Sourced after the harness; the caller defines ROOT, WORK, `cluster` (deploy/cluster/cluster.sh of
# the instance) and `kc` (its kubectl as admin). Defines:
#   flux_images_import            imports the four images ($FLOTILLA_CACHE/platform-images/<c>/<c>.tar)
#   flux_install                  applies gotk-components.yaml (server-side), waits until Ready
#   scenario_flux_controllers     four controllers Ready under restricted Pod Security, their CRDs
#   scenario_flux_reconcile       a GitRepository, a Kustomization and a HelmRelease Ready
#   scenario_flux_events          notification-controller delivers a Kustomization's event
#   flux_test_cleanup             stops the servers, deletes flux-test
# Needs: tools/platform/flux.sh (images), tools/gitops.sh (the flux CLI, git, nginx, fcgiwrap), socat.

source "$ROOT/ci/gitops/git-server.sh"
source "$ROOT/tools/versions/flux.sh"

FLUX_NS=flux-system
FLUX_TEST_NS=flux-test
FLUX_NODE_IP=10.240.0.2
FLUX_COMPONENTS_FILE=$ROOT/deploy/flux/clusters/local/flux-system/gotk-components.yaml
FLUX_FORWARD_PIDS=() # pid files of the forwarders and the receiver
FLUX_GIT_URL=""
# note TEXT: a figure for the log even while a check captures its output (fd 3: the tier's stdout)
declare -F note >/dev/null || note() { echo "        $*" >&3; }

flux_images_import() {
  local c sock
  sock=/var/lib/flotilla/clusters/${FLOTILLA_CLUSTER:-flotilla}/run/containerd.sock
  for c in "${FLUX_POD_CONTROLLERS[@]}"; do
    ctr --address "$sock" -n k8s.io images import "${FLOTILLA_CACHE:-$HOME/.cache/flotilla}/platform-images/$c/$c.tar" ||
      return 1
  done
}

flux_install() {
  local t0=$SECONDS
  kc apply --server-side -f "$FLUX_COMPONENTS_FILE" >/dev/null || return 1
  kc -n "$FLUX_NS" wait --for condition=Available --timeout 180s deployment --all >/dev/null || {
    kc -n "$FLUX_NS" get pods -o wide
    return 1
  }
  note "Flux applied and every controller Available in $((SECONDS - t0)) s"
}

# ---------------------------------------------------------------- controllers
# flux_controllers_ready: each of the four Deployments runs one Ready pod of the local image.
flux_controllers_ready() {
  local c want img ready
  for c in "${FLUX_POD_CONTROLLERS[@]}"; do
    want=flotilla.local/$c:$(flux_controller_version "$c")
    img=$(kc -n "$FLUX_NS" get deploy "$c" -o jsonpath='{.spec.template.spec.containers[0].image}') || return 1
    [[ "$img" == "$want" ]] || { fail "$c runs $img, not $want"; return 1; }
    ready=$(kc -n "$FLUX_NS" get pods -l "app=$c" -o jsonpath='{range .items[*]}{.status.containerStatuses[0].ready}{" "}{end}')
    [[ "$ready" == "true " ]] || { fail "$c: pods ready: '$ready' (expected one Ready pod)"; return 1; }
  done
}

flux_restricted() {
  local level
  level=$(kc get namespace "$FLUX_NS" -o jsonpath='{.metadata.labels.pod-security\.kubernetes\.io/enforce}')
  [[ "$level" == restricted ]] || fail "namespace $FLUX_NS enforces '$level', not restricted"
}

# flux_pod_refused: a pod running as root with a writable root filesystem is refused in flux-system.
flux_pod_refused() {
  local out
  if out=$(kc -n "$FLUX_NS" run flux-root-probe --image "flotilla.local/source-controller:$SOURCE_CONTROLLER_VERSION" \
    --image-pull-policy Never --restart Never --dry-run=server \
    --overrides '{"spec":{"containers":[{"name":"flux-root-probe","image":"flotilla.local/source-controller:'"$SOURCE_CONTROLLER_VERSION"'","securityContext":{"runAsUser":0,"privileged":true}}]}}' 2>&1); then
    fail "a privileged root pod was admitted in $FLUX_NS: $out"
  fi
  grep -q 'violates PodSecurity "restricted' <<<"$out" || fail "refused for another reason: $out"
}

# flux_crds_served: every Flux CRD of gotk-components.yaml is Established, at the storage versions
# the pinned controllers write (helm-controller v1.6: v2; notification-controller v1.9: v1beta3
# Alerts and Providers; the rest v1).
flux_crds_served() {
  local crd want got
  for crd in alerts.notification.toolkit.fluxcd.io=v1beta3 providers.notification.toolkit.fluxcd.io=v1beta3 \
    receivers.notification.toolkit.fluxcd.io=v1 buckets.source.toolkit.fluxcd.io=v1 \
    externalartifacts.source.toolkit.fluxcd.io=v1 gitrepositories.source.toolkit.fluxcd.io=v1 \
    helmcharts.source.toolkit.fluxcd.io=v1 helmrepositories.source.toolkit.fluxcd.io=v1 \
    ocirepositories.source.toolkit.fluxcd.io=v1 kustomizations.kustomize.toolkit.fluxcd.io=v1 \
    helmreleases.helm.toolkit.fluxcd.io=v2; do
    want=${crd#*=}
    got=$(kc get crd "${crd%=*}" -o jsonpath='{.status.conditions[?(@.type=="Established")].status} {.spec.versions[?(@.storage==true)].name}') ||
      return 1
    [[ "$got" == "True $want" ]] || fail "${crd%=*}: '$got', expected 'True $want'"
  done
}

# flux_eventually SECONDS CMD...: eventually, polling every 2 s (each poll is a few kubectl calls)
flux_eventually() { EVERY=2 eventually "$@"; }

# flux_not_ready: the readiness check fails (its own `fail` does not count against the caller)
flux_not_ready() {
  local saved=$CHECK_FAILED rc=0
  flux_controllers_ready >/dev/null 2>&1 || rc=$?
  CHECK_FAILED=$saved
  ((rc != 0)) || { echo "the controllers are all Ready"; return 1; }
}

scenario_flux_controllers() {
  check "flux: namespace $FLUX_NS enforces restricted Pod Security" flux_restricted
  check "flux: (control) a privileged root pod is refused there" flux_pod_refused
  check "flux: source, kustomize, notification and helm controller Ready, each on its flotilla.local image" \
    eventually 120 flux_controllers_ready
  check "flux: the eleven CRDs Established at the controllers' storage versions" flux_crds_served
  check "flux: \`flux check\` of the CLI $FLUX_VERSION passes (controllers and CRDs of its distribution)" \
    cluster exec flux check
  # control: the readiness check sees a controller that is gone; then it is back
  kc -n "$FLUX_NS" scale deploy source-controller --replicas 0 >/dev/null
  check "flux: (control) with source-controller scaled to 0 the controllers are not all Ready" \
    eventually 60 flux_not_ready
  local t0=$SECONDS
  kc -n "$FLUX_NS" scale deploy source-controller --replicas 1 >/dev/null
  check "flux: source-controller Ready again after scaling back" eventually 120 flux_controllers_ready
  note "source-controller Ready $((SECONDS - t0)) s after scaling back to 1"
}

# ---------------------------------------------------------------- sources
# flux_forward PORT: forwards FLUX_NODE_IP:PORT to 127.0.0.1:PORT inside the cluster's namespace.
flux_forward() {
  flux_background "$WORK/flux-forward-$1.pid" socat "TCP-LISTEN:$1,bind=$FLUX_NODE_IP,reuseaddr,fork" "TCP:127.0.0.1:$1" &&
    wait_until 20 cluster exec bash -c "exec 3<>/dev/tcp/$FLUX_NODE_IP/$1"
}

# flux_background PIDFILE CMD...: CMD in the cluster's namespace, in the background; PIDFILE gets
# CMD's own pid (`cluster` may be a function or npm, whose pid would not be CMD's), which
# flux_test_cleanup stops.
flux_background() {
  local pidfile=$1
  shift
  # shellcheck disable=SC2016 # expanded by the inner bash
  cluster exec bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" >/dev/null 2>&1 &
  FLUX_FORWARD_PIDS+=("$pidfile")
  wait_until 10 test -s "$pidfile"
}

# flux_git_setup: a repository with a ConfigMap (configmap/) and a one-template chart (chart/),
# served over HTTP with basic auth at FLUX_GIT_URL; FLUX_GIT_REV is main's commit.
flux_git_setup() {
  local dir=$WORK/flux-git netns port
  mkdir -p "$dir/src/configmap" "$dir/src/chart/templates"
  cat >"$dir/src/configmap/kustomization.yaml" <<'EOF'
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - configmap.yaml
EOF
  cat >"$dir/src/configmap/configmap.yaml" <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: flux-test-message
data:
  message: first
EOF
  cat >"$dir/src/chart/Chart.yaml" <<'EOF'
apiVersion: v2
name: flux-test
version: 0.1.0
EOF
  cat >"$dir/src/chart/values.yaml" <<'EOF'
message: from the chart's defaults
EOF
  cat >"$dir/src/chart/templates/configmap.yaml" <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-chart
data:
  message: {{ .Values.message | quote }}
EOF
  git -C "$dir/src" init -q -b main && git -C "$dir/src" add -A &&
    git -C "$dir/src" -c user.name=flux-test -c user.email=flux-test@flotilla.invalid commit -q -m first || return 1
  git init -q --bare -b main "$dir/server/repos/flux-test.git" &&
    git -C "$dir/src" push -q "$dir/server/repos/flux-test.git" main || return 1
  FLUX_GIT_REV=$(git -C "$dir/src" rev-parse HEAD)
  FLUX_GIT_PASSWORD=$(openssl rand -hex 16)
  netns=$(cluster exec ip netns identify) && port=$(cluster exec python3 "$ROOT/ci/lib/ports.py" free 1) || return 1
  git_server_start "$dir/server" "$netns" "$port" flux "$FLUX_GIT_PASSWORD" || return 1
  flux_forward "$port" || return 1
  FLUX_GIT_URL=http://$FLUX_NODE_IP:$port/flux-test.git
}

# flux_git_commit MESSAGE-VALUE: changes the ConfigMap's message in git, pushes; FLUX_GIT_REV follows.
flux_git_commit() {
  local dir=$WORK/flux-git
  sed -i "s/^  message: .*/  message: $1/" "$dir/src/configmap/configmap.yaml" &&
    git -C "$dir/src" -c user.name=flux-test -c user.email=flux-test@flotilla.invalid commit -q -am "message: $1" &&
    git -C "$dir/src" push -q "$dir/server/repos/flux-test.git" main || return 1
  FLUX_GIT_REV=$(git -C "$dir/src" rev-parse HEAD)
}

flux_test_objects() {
  kc apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Namespace
metadata:
  name: $FLUX_TEST_NS
  labels:
    pod-security.kubernetes.io/enforce: restricted
---
apiVersion: v1
kind: Secret
metadata: {name: git-auth, namespace: $FLUX_TEST_NS}
stringData: {username: flux, password: "$FLUX_GIT_PASSWORD"}
---
apiVersion: v1
kind: Secret
metadata: {name: git-auth-wrong, namespace: $FLUX_TEST_NS}
stringData: {username: flux, password: not-the-password}
EOF
}

# flux_ready KIND NAME [REVISION-SUBSTRING]: Ready=True in flux-test (and at that revision).
flux_ready() {
  local out
  out=$(kc -n "$FLUX_TEST_NS" get "$1" "$2" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status} {.status.lastAppliedRevision}{.status.artifact.revision}{.status.lastAttemptedRevision}|{.status.conditions[?(@.type=="Ready")].message}') ||
    return 1
  [[ "$out" == True* ]] || { fail "$1/$2 not Ready: $out"; return 1; }
  [[ -z "${3:-}" || "$out" == *"$3"* ]] || fail "$1/$2 Ready at another revision: $out"
}

# flux_failing KIND NAME PATTERN: Ready=False with a message matching PATTERN (grep -E).
flux_failing() {
  local out
  out=$(kc -n "$FLUX_TEST_NS" get "$1" "$2" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}|{.status.conditions[?(@.type=="Ready")].message}') ||
    return 1
  [[ "$out" == False\|* ]] || { fail "$1/$2: '$out', expected Ready=False"; return 1; }
  grep -Eq "$3" <<<"$out" || fail "$1/$2 fails for another reason: $out"
}

flux_configmap_says() { # NAME VALUE
  local got
  got=$(kc -n "$FLUX_TEST_NS" get configmap "$1" -o jsonpath='{.data.message}') || return 1
  [[ "$got" == "$2" ]] || fail "ConfigMap $1 says '$got', not '$2'"
}

flux_message_reconciled() { # VALUE: the Kustomization at FLUX_GIT_REV, the ConfigMap with VALUE
  flux_ready kustomization configmap "$FLUX_GIT_REV" && flux_configmap_says flux-test-message "$1"
}

flux_apply_sources() {
  kc apply -f - >/dev/null <<EOF
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-test, namespace: $FLUX_TEST_NS}
spec:
  url: $FLUX_GIT_URL
  ref: {branch: main}
  secretRef: {name: git-auth}
  interval: 1m
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: configmap, namespace: $FLUX_TEST_NS}
spec:
  sourceRef: {kind: GitRepository, name: flux-test}
  path: ./configmap
  targetNamespace: $FLUX_TEST_NS
  prune: true
  interval: 1m
  timeout: 1m
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: flux-test, namespace: $FLUX_TEST_NS}
spec:
  interval: 1m
  chart:
    spec:
      chart: ./chart
      sourceRef: {kind: GitRepository, name: flux-test}
      reconcileStrategy: Revision
  values:
    message: from the HelmRelease
EOF
}

# the negative controls: a wrong password, a path the repository lacks, an OCI source nowhere
flux_apply_broken() {
  kc apply -f - >/dev/null <<EOF
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: wrong-password, namespace: $FLUX_TEST_NS}
spec:
  url: $FLUX_GIT_URL
  ref: {branch: main}
  secretRef: {name: git-auth-wrong}
  interval: 1m
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: missing-path, namespace: $FLUX_TEST_NS}
spec:
  sourceRef: {kind: GitRepository, name: flux-test}
  path: ./not-in-the-repository
  targetNamespace: $FLUX_TEST_NS
  prune: true
  interval: 1m
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata: {name: nowhere, namespace: $FLUX_TEST_NS}
spec:
  url: oci://registry.nowhere.svc.cluster.local:5000/flotilla/nothing
  ref: {tag: latest}
  interval: 1m
  timeout: 20s
EOF
}

scenario_flux_reconcile() {
  if ! gate "flux: a git server in the cluster's namespace, reached by pods at the node address" flux_git_setup; then
    return 1
  fi
  check "flux: the test namespace and the git credentials" flux_test_objects
  local t0=$SECONDS
  check "flux: GitRepository, Kustomization and HelmRelease applied" flux_apply_sources
  check "flux: the GitRepository is Ready at main's commit (source-controller cloned it)" \
    flux_eventually 180 flux_ready gitrepository flux-test "$FLUX_GIT_REV"
  check "flux: the Kustomization is Ready at that commit (kustomize-controller fetched the artifact from source-controller's Service)" \
    flux_eventually 180 flux_ready kustomization configmap "$FLUX_GIT_REV"
  note "GitRepository and Kustomization Ready $((SECONDS - t0)) s after they were applied"
  check "flux: the ConfigMap from git is in the cluster" flux_configmap_says flux-test-message first
  check "flux: the HelmRelease is Ready (helm-controller installed the chart source-controller packaged from git)" \
    flux_eventually 180 flux_ready helmrelease flux-test
  check "flux: the chart's ConfigMap has the HelmRelease's values" flux_configmap_says flux-test-chart "from the HelmRelease"
  note "HelmRelease Ready $((SECONDS - t0)) s after it was applied"
  check "flux: (controls) a wrong password, a missing path and an OCI source nowhere applied" flux_apply_broken
  check "flux: (control) the GitRepository with a wrong password is not Ready: authentication" \
    flux_eventually 120 flux_failing gitrepository wrong-password 'auth|401|credentials'
  check "flux: (control) the Kustomization of a missing path is not Ready: not found" \
    flux_eventually 120 flux_failing kustomization missing-path 'not found|no such file'
  check "flux: (control) the OCIRepository pointing nowhere is not Ready: its registry cannot be resolved" \
    flux_eventually 120 flux_failing ocirepository nowhere 'no such host|lookup|dial'
}

# ---------------------------------------------------------------- events
# flux_sink_has PATH PATTERN: a POST to PATH whose body matches PATTERN (grep -F) was received.
flux_sink_has() {
  grep -F "\"path\": \"$1\"" "$WORK/flux-events.jsonl" 2>/dev/null | grep -qF "$2" ||
    fail "no POST to $1 with $2 (received: $(wc -l <"$WORK/flux-events.jsonl" 2>/dev/null || echo 0))"
}

flux_sink_lacks() { # PATH
  ! grep -qF "\"path\": \"$1\"" "$WORK/flux-events.jsonl" 2>/dev/null || fail "a POST to $1 was received"
}

flux_sink_setup() {
  local port
  port=$(cluster exec python3 "$ROOT/ci/lib/ports.py" free 1) || return 1
  : >"$WORK/flux-events.jsonl"
  flux_background "$WORK/flux-sink.pid" python3 "$ROOT/ci/lib/webhook-sink.py" "$WORK/flux-events.jsonl" --port "$port" &&
    flux_forward "$port" || return 1
  FLUX_SINK_URL=http://$FLUX_NODE_IP:$port
}

flux_apply_alerts() {
  kc apply -f - >/dev/null <<EOF
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: {name: sink, namespace: $FLUX_TEST_NS}
spec:
  type: generic
  address: $FLUX_SINK_URL/flux
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata: {name: configmap, namespace: $FLUX_TEST_NS}
spec:
  providerRef: {name: sink}
  eventSeverity: info
  eventSources:
    - {kind: Kustomization, name: configmap}
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: {name: sink-unwanted, namespace: $FLUX_TEST_NS}
spec:
  type: generic
  address: $FLUX_SINK_URL/unwanted
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata: {name: unwanted, namespace: $FLUX_TEST_NS}
spec:
  providerRef: {name: sink-unwanted}
  eventSeverity: info
  eventSources:
    - {kind: Kustomization, name: not-there}
EOF
}

scenario_flux_events() {
  if ! gate "flux: a webhook receiver in the cluster's namespace, reached by pods at the node address" flux_sink_setup; then
    return 1
  fi
  check "flux: a generic Provider for the receiver and an Alert on the Kustomization" flux_apply_alerts
  # the change the event reports: a new message in git, reconciled at once
  local t0=$SECONDS
  check "flux: a commit changes the ConfigMap's message in git" flux_git_commit second
  kc -n "$FLUX_TEST_NS" annotate --overwrite gitrepository flux-test "reconcile.fluxcd.io/requestedAt=$(date +%s)" >/dev/null
  check "flux: the Kustomization is Ready at the new commit and the ConfigMap says so" \
    flux_eventually 180 flux_message_reconciled second
  check "flux: the receiver got the Kustomization's event (ConfigMap configured) from notification-controller" \
    flux_eventually 90 flux_sink_has /flux '"kind": "Kustomization", "namespace": "flux-test", "name": "configmap"'
  check "flux: ... and the event names the change" flux_sink_has /flux 'ConfigMap/flux-test/flux-test-message configured'
  note "commit to event delivered: $((SECONDS - t0)) s"
  check "flux: (control) the Alert on a Kustomization that does not exist sent nothing" flux_sink_lacks /unwanted
}

flux_test_cleanup() {
  local f
  kc delete namespace "$FLUX_TEST_NS" --ignore-not-found --wait=false >/dev/null 2>&1
  for f in "${FLUX_FORWARD_PIDS[@]}"; do [[ -s "$f" ]] && kill "$(cat "$f")" 2>/dev/null; done
  [[ -d "$WORK/flux-git/server" ]] && git_server_stop "$WORK/flux-git/server"
  FLUX_FORWARD_PIDS=()
  return 0
}
