# shellcheck shell=bash
# Helpers of tier cluster (sourced by ci/tier-cluster.sh after ci/lib/harness.sh): the cluster
# entry point, probe pods, port-forwards, the polling client. Everything talks to the instance
# named by FLOTILLA_CLUSTER.

cluster() { bash "$ROOT/deploy/cluster/cluster.sh" "$@"; }
# note TEXT: a figure for the log even while a check captures its output (fd 3: the tier's stdout)
note() { echo "        $*" >&3; }
kc() { cluster kubectl "$@"; }
hc() { cluster helm "$@"; }

NS=flotilla
RELEASE=flotilla
CHART=$ROOT/deploy/helm/flotilla
TAG=${FLOTILLA_IMAGE_TAG:-ci}
# The tier's values: the cluster's (deploy/cluster/values.yaml: its ingress controller), the
# images the containers tier built, short HPA windows (values, not weaker assertions). Every
# release command of the tier goes through `release`.
VALUES=(-f "$ROOT/deploy/cluster/values.yaml" -f "$ROOT/ci/cluster/values.yaml" --set "serviceDefaults.image.tag=$TAG")

# release ARGS...: helm upgrade --install --atomic --wait of the chart with the tier's values.
release() {
  hc upgrade --install "$RELEASE" "$CHART" -n "$NS" --atomic --wait --timeout "${RELEASE_TIMEOUT:-180s}" \
    "${VALUES[@]}" "$@"
}

# hello_image: the image hello's Deployment runs.
deploy_image() { kc -n "$NS" get deploy "$RELEASE-$1" -o jsonpath='{.spec.template.spec.containers[0].image}'; }

# all_ready NAMESPACE: every running pod of the namespace Ready.
all_ready() {
  local out
  out=$(kc -n "$1" get pods --no-headers -o custom-columns=N:.metadata.name,R:.status.containerStatuses[*].ready,P:.status.phase)
  [[ -n "$out" ]] || fail "no pods in $1"
  # finished pods (hook Jobs, helm test pods) are not workloads
  out=$(grep -vE ' (Succeeded|Failed)$' <<<"$out")
  if grep -q false <<<"$out"; then fail "not Ready in $1: $(grep false <<<"$out" | tr '\n' ' ')"; fi
}

# probe_pod NAMESPACE NAME LABELS: a busybox pod (restricted Pod Security) that sleeps, for
# `kc exec` probes. LABELS: "k=v,k2=v2" or "".
probe_pod() {
  local ns=$1 name=$2 labels=${3:-} l yaml_labels=""
  for l in ${labels//,/ }; do yaml_labels+="${l%%=*}: \"${l#*=}\", "; done
  kc apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata: {name: $name, namespace: $ns, labels: {${yaml_labels}flotilla-ci-probe: "true"}}
spec:
  terminationGracePeriodSeconds: 0
  securityContext: {runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: {type: RuntimeDefault}}
  containers:
    - name: probe
      image: $BUSYBOX_IMAGE
      imagePullPolicy: Never
      command: [sleep, "3600"]
      resources: {requests: {cpu: 5m, memory: 8Mi}, limits: {cpu: 100m, memory: 32Mi}}
      securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
YAML
  kc -n "$ns" wait --for=condition=Ready "pod/$name" --timeout=60s >/dev/null
}

# http_from NAMESPACE POD HOST PORT PATH: the status line of GET PATH from inside POD (busybox nc:
# a refused or dropped connection prints nothing).
http_from() {
  kc -n "$1" exec "$2" -- sh -c "printf 'GET $5 HTTP/1.0\r\nHost: $3\r\n\r\n' | nc -w 3 $3 $4 | head -n1" 2>/dev/null | tr -d '\r'
}

# port_forward SERVICE [NAMESPACE]: `kubectl port-forward` to the Service's port 80 on the host's
# loopback, ready once /healthz gets an HTTP answer; sets PF_PORT and PF_PID.
PF_PIDS=()
port_forward() {
  PF_PORT=$(free_port)
  # exec all the way down (bash, kubectl): $! is kubectl itself, which port_forward_stop ends
  (exec bash "$ROOT/deploy/cluster/cluster.sh" kubectl -n "${2:-$NS}" port-forward "svc/$1" "$PF_PORT:80" \
    --address 127.0.0.1 >"$WORK/pf-$1.log" 2>&1) &
  PF_PID=$!
  PF_PIDS+=("$PF_PID")
  wait_until 20 http_answers "http://127.0.0.1:$PF_PORT/healthz" || { cat "$WORK/pf-$1.log" >&2; return 1; }
}
# port_forward_to RESOURCE PORT [NAMESPACE]: `kubectl port-forward RESOURCE` (pod/NAME, svc/NAME,
# deploy/NAME) to its PORT on a free loopback port, once that accepts connections; sets PF_PORT, PF_PID
port_forward_to() {
  PF_PORT=$(free_port)
  local log=$WORK/pf-${1//\//-}-$2.log
  (exec bash "$ROOT/deploy/cluster/cluster.sh" kubectl -n "${3:-$NS}" port-forward "$1" "$PF_PORT:$2" \
    --address 127.0.0.1 >"$log" 2>&1) &
  PF_PID=$!
  PF_PIDS+=("$PF_PID")
  wait_until 20 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PF_PORT" || { cat "$log" >&2; return 1; }
}
http_answers() { [[ "$(curl -sS -o /dev/null -w '%{http_code}' --max-time 2 "$1")" != 000 ]]; }
port_forward_stop() { kill "$PF_PID" 2>/dev/null || true; }

# The polling client (ci/lib/poll.py) inside the cluster's namespace, against hello's
# ClusterIP: every request a new connection through kube-proxy, like any in-cluster client.
# poll_start [INTERVAL_S]
POLL_PID=""
poll_start() {
  local ip
  ip=$(kc -n "$NS" get svc "$RELEASE-hello" -o jsonpath='{.spec.clusterIP}')
  rm -f "$WORK/poll.jsonl"
  # exec all the way down (bash, nsenter, python): $! is the client itself, which SIGTERM stops
  (exec bash "$ROOT/deploy/cluster/cluster.sh" exec python3 "$ROOT/ci/lib/poll.py" run "http://$ip/" "$WORK/poll.jsonl" \
    --interval "${1:-0.05}" >"$WORK/poll.out" 2>&1) &
  POLL_PID=$!
  wait_until 10 test -e "/proc/$POLL_PID"
}
# poll_stop: stops the client; POLL holds the summary of its record (poll.py summary).
poll_stop() {
  kill -TERM "$POLL_PID" 2>/dev/null
  wait "$POLL_PID" 2>/dev/null
  POLL=$(python3 "$ROOT/ci/lib/poll.py" summary "$WORK/poll.jsonl")
  POLL_PID=""
}
# poll_get EXPR: the value of a Python expression over the summary `j` (ci/lib/json-eval.py).
poll_get() { python3 "$ROOT/ci/lib/json-eval.py" "$1" --print <<<"$POLL"; }
