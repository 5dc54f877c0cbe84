#!/usr/bin/env bash
# Tier k8s: the Kubernetes packaging (deploy/helm, deploy/kustomize) and the Dockerfiles,
# checked offline: helm lint/template, values-schema rejections, kustomize builds,
# kubeconform -strict against the newest Kubernetes schemas, semantic render checks,
# checkov, the helm-test hook script against a loopback server, the real hello, stats, store
# and routeguide services started with their rendered config, hadolint.
# Tools: tools/k8s.sh (Go, via the Go module proxy) and a pinned Python venv (pip_venv), both
# once per machine under ~/.cache/flotilla. Runs on the one harness (ci/lib/harness.sh).
# Prints the phase timeline and `tier k8s: N passed, M failed` (tier_end, ci/lib/harness.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

K8S_SCHEMA_VERSIONS=3 # validate against the newest N minors shipped by kubernetes-validate
# The CRDs of PodMonitor and PrometheusRule (monitoring.*), from the operator's own module.
PROMETHEUS_OPERATOR_VERSION=v0.85.0

source ci/lib/harness.sh
source tools/lib/tools.sh
source tools/k8s.sh # the tool versions (KUBECONFORM_VERSION: its CRD converter below)
tier_begin k8s
SCHEMAS=$FLOTILLA_CACHE/k8s-schemas

WORK=$(mktemp -d /tmp/flotilla-k8s.XXXXXX)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# ---------------------------------------------------------------- tools
phase tools
gate "helm, helm-unittest, kustomize, kubeconform (tools/k8s.sh)" bash tools/k8s.sh || { tier_end; exit 1; }
export HELM_PLUGINS=$FLOTILLA_CACHE/helm-plugins # helm unittest (tools/k8s.sh)
gate "checkov, kubernetes-validate, hadolint (venv-k8s, pinned requirements)" pip_venv k8s tools/requirements/checkov.txt || { tier_end; exit 1; }
VENV=$FLOTILLA_CACHE/venv-k8s
for t in helm kustomize kubeconform checkov hadolint; do
  command -v "$t" >/dev/null || { check "tool $t on PATH" false; tier_end; exit 1; }
done
helm unittest --help >/dev/null 2>&1 || { check "helm plugin unittest in $HELM_PLUGINS" false; tier_end; exit 1; }

NODE=$ROOT/node_modules/.bin/node
if [ ! -x "$NODE" ]; then
  echo "node_modules missing: npm ci"
  npm ci --no-audit --no-fund >/dev/null
fi

mapfile -t K8S_VERSIONS < <("$VENV/bin/python" ci/k8s/kube-schemas.py "$SCHEMAS" "$K8S_SCHEMA_VERSIONS")
gate "Kubernetes JSON schemas ${K8S_VERSIONS[*]} (kube-schemas.py)" test "${#K8S_VERSIONS[@]}" -eq "$K8S_SCHEMA_VERSIONS" || { tier_end; exit 1; }
SCHEMA_LOCATION="$SCHEMAS/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json"

# prometheus-operator's CRDs (pinned module) -> JSON schemas with kubeconform's own converter,
# every object closed (additionalProperties: false) so -strict catches a misspelt field.
module_dir() { GOFLAGS=-mod=mod GOTOOLCHAIN=local go mod download -json "$1" | "$VENV/bin/python" pipeline/lib/json-get.py Dir; }
crd_schemas() { # DIR
  local po kc
  po=$(module_dir "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION") &&
    kc=$(module_dir "github.com/yannh/kubeconform@$KUBECONFORM_VERSION") || return 1
  (cd "$1" && FILENAME_FORMAT='{kind}_{version}' DENY_ROOT_ADDITIONAL_PROPERTIES=1 \
    "$VENV/bin/python" "$kc/scripts/openapi2jsonschema.py" "$po"/example/prometheus-operator-crd/monitoring.coreos.com_{podmonitors,servicemonitors,prometheusrules}.yaml)
}
gate "prometheus-operator $PROMETHEUS_OPERATOR_VERSION CRD schemas (PodMonitor, ServiceMonitor, PrometheusRule)" \
  tool_tree prometheus-operator-crds "$PROMETHEUS_OPERATOR_VERSION kubeconform $KUBECONFORM_VERSION" crd_schemas || { tier_end; exit 1; }
CRD_SCHEMAS=$FLOTILLA_CACHE/prometheus-operator-crds
CRD_LOCATION="$CRD_SCHEMAS/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json"

echo "helm $(helm version --template '{{.Version}}'), kustomize $(kustomize version), kubeconform $(kubeconform -v)," \
  "checkov $(checkov --version), $(hadolint --version), Kubernetes schemas ${K8S_VERSIONS[*]}"

CHART=deploy/helm/flotilla
FULL=deploy/helm/flotilla/tests/values/full.yaml
R=$WORK/render
mkdir -p "$R"
# The chart requires the fleet's registry (global.imageRegistry); a fork sets its own. A file,
# not --set, so a later -f (a bad-values file) can still override it.
printf 'global:\n  imageRegistry: registry.example.com/flotilla\n' >"$WORK/registry.yaml"
REG=(-f "$WORK/registry.yaml")

# ---------------------------------------------------------------- helm
phase helm
check "helm lint --strict (default values and a registry)" helm lint --strict "$CHART" "${REG[@]}"
check "helm lint --strict (values-full)" helm lint --strict "$CHART" -f "$FULL"
check "helm template (default values and a registry)" sh -c "helm template flotilla $CHART -n flotilla ${REG[*]} >$R/default.yaml"
check "helm template (values-full)" sh -c "helm template flotilla $CHART -n flotilla -f $FULL >$R/full.yaml"

config_checksum() { # messages -> the checksum/config annotation rendered for hello
  helm template flotilla "$CHART" "${REG[@]}" --set-string "services.hello.configMap.data.messages=$1" |
    grep 'checksum/config:'
}
checksum_changes() {
  local a b
  a=$(config_checksum one)
  b=$(config_checksum two)
  [ -n "$a" ] && [ "$a" != "$b" ]
}
check "a ConfigMap change changes checksum/config (rolls the pods)" checksum_changes

# The chart's own tests (deploy/helm/flotilla/tests), run by helm-unittest: one check per suite,
# named with its count of tests.
unittest_passed() { # RC OUT: the suite's exit code and output
  [ "$1" = 0 ] && grep -qE '^Tests: +[1-9][0-9]* passed, [0-9]+ total' "$2" || { cat "$2"; return 1; }
}
TESTS_TOTAL=0
for suite in "$CHART"/tests/*_test.yaml; do
  name=$(basename "$suite" _test.yaml)
  rc=0
  helm unittest --color=false -f "tests/${name}_test.yaml" "$CHART" >"$WORK/unittest-$name.out" 2>&1 || rc=$?
  n=$(sed -nE 's/^Tests: .* ([0-9]+) total$/\1/p' "$WORK/unittest-$name.out")
  TESTS_TOTAL=$((TESTS_TOTAL + ${n:-0}))
  check "helm unittest: $name (${n:-no} tests)" unittest_passed "$rc" "$WORK/unittest-$name.out"
done
echo "helm unittest: $TESTS_TOTAL tests in $(ls "$CHART"/tests/*_test.yaml | wc -l) suites"
# ... and they can fail: the security suite against a copy of the chart that lets a container
# escalate privileges (the suites read tests/values/full.yaml inside the chart, so the copy has it).
mkdir -p "$WORK/copy/deploy/helm"
cp -r "$CHART" "$WORK/copy/deploy/helm/"
sed -i 's/allowPrivilegeEscalation: false/allowPrivilegeEscalation: true/' "$WORK/copy/$CHART/values.yaml"
check "helm unittest fails on a chart that allows privilege escalation" \
  sh -c "! helm unittest --color=false -f tests/security_test.yaml $WORK/copy/$CHART >$WORK/unittest-escalate.out 2>&1 && grep -q allowPrivilegeEscalation $WORK/unittest-escalate.out"

# Bad values must fail at template time, with the message named in the file's first line.
for f in ci/k8s/bad-values/*.yaml; do
  expect=$(sed -n '1s/^# expect: //p' "$f")
  bad_values() {
    [ -n "$expect" ] || { echo "$f: first line must be '# expect: <message>'"; return 1; }
    if helm template flotilla "$CHART" "${REG[@]}" -f "$f" >"$WORK/bad.out" 2>&1; then
      echo "rendered without error"
      return 1
    fi
    grep -qF -- "$expect" "$WORK/bad.out" || { cat "$WORK/bad.out"; echo "(expected: $expect)"; return 1; }
  }
  check "schema rejects $(basename "$f" .yaml)" bad_values
done

# The fault switch is for drills: prod's own values (global.environment: prod) make the schema
# refuse it; dev's take it, so the refusal is prod's, not a fault switch that cannot render.
faults_refused_in_prod() {
  if helm template flotilla "$CHART" -f deploy/flux/apps/prod/flotilla-values.yaml --set faults.enabled=true >"$WORK/faults-prod.out" 2>&1; then
    echo "prod's values rendered with faults.enabled=true"
    return 1
  fi
  grep -qF "at '/faults/enabled': value must be false" "$WORK/faults-prod.out" || { cat "$WORK/faults-prod.out"; return 1; }
}
check "prod's values refuse the fault switch (values schema: faults.enabled where global.environment is prod)" faults_refused_in_prod
check "dev's values take the fault switch (its ConfigMap, FAULTS_FILE in the pods)" \
  sh -c "helm template flotilla $CHART -f deploy/flux/apps/dev/flotilla-values.yaml --set faults.enabled=true | grep -q 'name: FAULTS_FILE'"

no_registry() { # the chart's defaults name no registry: a release must say where its images are
  if helm template flotilla "$CHART" >"$WORK/noreg.out" 2>&1; then
    echo "rendered without global.imageRegistry"
    return 1
  fi
  grep -qF 'global.imageRegistry is required' "$WORK/noreg.out" || { cat "$WORK/noreg.out"; return 1; }
}
check "a release without global.imageRegistry fails, naming the value" no_registry

# The chart's rules and dashboards are copies of deploy/monitoring's (one declaration).
check "chart files/ (rules, dashboards) equal deploy/monitoring (scripts/monitoring.ts --check)" "$NODE" scripts/monitoring.ts --check

# ---------------------------------------------------------------- kustomize
phase kustomize
# Each overlay's flotilla.yaml is the chart rendered with its environment's values (the files
# its Flux HelmRelease lists): generated, and checked here like every derived file.
check "every environment's Kustomize render equals a fresh render (npm run generate -- --check kustomize)" \
  "$NODE" scripts/generate.ts --check kustomize
for o in overlays/dev overlays/prod; do
  name=$(basename "$o")
  check "kustomize build $o" sh -c "kustomize build deploy/kustomize/$o >$R/$name.yaml"
done

# ---------------------------------------------------------------- validation
phase validation
for render in default full dev prod; do
  for v in "${K8S_VERSIONS[@]}"; do
    check "kubeconform -strict $render.yaml (Kubernetes $v)" \
      kubeconform -strict -summary -kubernetes-version "$v" -schema-location "$SCHEMA_LOCATION" -schema-location "$CRD_LOCATION" "$R/$render.yaml"
  done
  check "render rules: $render" "$VENV/bin/python" ci/k8s/assert-render.py "$render" "$R/$render.yaml"
  check "checkov: $render" checkov --quiet --compact --config-file pipeline/checkov-chart.yaml -f "$R/$render.yaml"
done
check "render rules of dev reject the prod overlay (each overlay renders its own environment's values)" \
  sh -c "! $VENV/bin/python ci/k8s/assert-render.py dev $R/prod.yaml >/dev/null"

# The validators must be able to fail: an unknown field, a privileged container, a probe on
# a route the service lacks (the seed's /health), an upstream that is not the release's Service.
sed 's/^\(  *\)revisionHistoryLimit:/\1revisionHistoryLimits:/' "$R/default.yaml" >"$WORK/broken.yaml"
check "kubeconform rejects an unknown field" \
  sh -c "! kubeconform -strict -kubernetes-version ${K8S_VERSIONS[0]} -schema-location '$SCHEMA_LOCATION' $WORK/broken.yaml"
# ... and in a prometheus-operator object, against the CRD's schema.
sed 's/^\(  *\)honorLabels: true/\1honourLabels: true/' "$R/full.yaml" >"$WORK/broken-crd.yaml"
check "kubeconform rejects an unknown field in a PodMonitor (operator CRD schema)" \
  sh -c "grep -q honourLabels $WORK/broken-crd.yaml && ! kubeconform -strict -kubernetes-version ${K8S_VERSIONS[0]} -schema-location '$SCHEMA_LOCATION' -schema-location '$CRD_LOCATION' $WORK/broken-crd.yaml"
sed 's/^\(    - port: \)http$/\1metrics/' "$R/full.yaml" >"$WORK/podmonitor-port.yaml"
check "render rules reject a PodMonitor on a port the pods lack" \
  sh -c "$VENV/bin/python ci/k8s/assert-render.py full $WORK/podmonitor-port.yaml | grep -q 'is a port of the pod'"
sed 's/expr: up{job="flotilla"} == 0/expr: up == 0/' "$R/full.yaml" >"$WORK/rule-drift.yaml"
check "render rules reject a PrometheusRule that differs from deploy/monitoring/rules" \
  sh -c "$VENV/bin/python ci/k8s/assert-render.py full $WORK/rule-drift.yaml | grep -q 'groups == deploy/monitoring/rules'"
sed 's/value: "routeguide-backend"/value: "routeguide"/' "$R/full.yaml" >"$WORK/otel-name.yaml"
check "render rules reject a backend traced under the server's service.name" \
  sh -c "grep -q 'OTEL_SERVICE_NAME' $WORK/otel-name.yaml && $VENV/bin/python ci/k8s/assert-render.py full $WORK/otel-name.yaml | grep -q 'traces as routeguide-backend'"
sed 's/name: flotilla-faults$/name: flotilla-hello/' "$R/full.yaml" >"$WORK/faults-mount.yaml"
check "render rules reject a FAULTS_FILE outside the faults ConfigMap's mount" \
  sh -c "grep -q FAULTS_FILE $WORK/faults-mount.yaml && $VENV/bin/python ci/k8s/assert-render.py full $WORK/faults-mount.yaml | grep -q 'faults ConfigMap'"
sed 's/allowPrivilegeEscalation: false/allowPrivilegeEscalation: true/' "$R/default.yaml" >"$WORK/escalate.yaml"
check "checkov rejects allowPrivilegeEscalation: true" \
  sh -c "! checkov --quiet --compact --config-file pipeline/checkov-chart.yaml -f $WORK/escalate.yaml"
check "render rules reject allowPrivilegeEscalation: true" \
  sh -c "! $VENV/bin/python ci/k8s/assert-render.py default $WORK/escalate.yaml"
check "a copy of the render without web's HPA (ci/k8s/render-pick.py)" \
  "$VENV/bin/python" ci/k8s/render-pick.py drop "$R/default.yaml" "$WORK/no-web-hpa.yaml" HorizontalPodAutoscaler -web
check "render rules reject a render that lost an HPA the values ask for" \
  sh -c "$VENV/bin/python ci/k8s/assert-render.py default $WORK/no-web-hpa.yaml | grep -q 'HorizontalPodAutoscaler, got'"
sed 's|path: /readyz|path: /health|' "$R/default.yaml" >"$WORK/health.yaml"
check "render rules reject a probe on /health (not a route of the service)" \
  sh -c "$VENV/bin/python ci/k8s/assert-render.py default $WORK/health.yaml | grep -q 'not a route'"
sed 's|"flotilla-stats:80"|"stats:8080"|' "$R/default.yaml" >"$WORK/upstream.yaml"
check "render rules reject a web upstream that is not the release's stats Service" \
  sh -c "$VENV/bin/python ci/k8s/assert-render.py default $WORK/upstream.yaml | grep -q WEB_STATS_UPSTREAM"
sed 's|"flotilla-routeguide-backend:9999"|"routeguide-backend:9999"|' "$R/full.yaml" >"$WORK/backend.yaml"
check "render rules reject a routeguide BACKEND_ADDR that is not the backend Service" \
  sh -c "$VENV/bin/python ci/k8s/assert-render.py full $WORK/backend.yaml | grep -q BACKEND_ADDR"

# ---------------------------------------------------------------- helm test hook
phase "helm test hook and the real services"
# Run the hook's own script (the Pod's args) with the repo's Node 24 against loopback
# servers: it must pass on `hello\n` and fail on a wrong body.
check "the helm test Pod's node script, read from the render" \
  sh -c "'$VENV/bin/python' ci/k8s/render-pick.py hook-script '$R/default.yaml' >'$WORK/hook.mjs'"
PORT=$(free_port)
"$NODE" ci/k8s/hello-server.mjs "$PORT" &
SERVER_PID=$!
check "a stand-in for hello's /hello on 127.0.0.1:$PORT (ci/k8s/hello-server.mjs)" wait_http "http://127.0.0.1:$PORT/hello" 10
run_hook() { TEST_URL=$1 TEST_EXPECT_BODY=$2 "$NODE" --input-type=module -e "$(cat "$WORK/hook.mjs")"; }
check "helm test script passes against a server answering hello" run_hook "http://127.0.0.1:$PORT/hello" hello
check "helm test script fails on a 404" sh -c "! TEST_URL=http://127.0.0.1:$PORT/missing TEST_EXPECT_BODY=hello $NODE --input-type=module -e \"\$(cat $WORK/hook.mjs)\""
check "helm test script fails on a wrong body" sh -c "! TEST_URL=http://127.0.0.1:$PORT/hello TEST_EXPECT_BODY=goodbye $NODE --input-type=module -e \"\$(cat $WORK/hook.mjs)\""
kill "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
# The real hello service (from source) with the rendered env and a kubelet-style ConfigMap
# volume: messages shown, hot reload on a ConfigMap update, helm test script, clean SIGTERM.
check "real hello with the rendered config (ConfigMap reload, helm test, SIGTERM)" \
  "$VENV/bin/python" ci/k8s/hello-with-render.py "$R/default.yaml" "$NODE" "$WORK/hook.mjs"

# The real stats, store and routeguide (server + backend sidecar) with the rendered config:
# every probe answers, the helm test script and the client Job's command pass, clean SIGTERM.
check "every kit service of the registry with the rendered config (probes, helm test, client Job, SIGTERM)" \
  "$VENV/bin/python" ci/k8s/fleet-with-render.py "$R/default.yaml" "$NODE" "$WORK/hook.mjs"
sed 's|path: /readyz|path: /ready|' "$R/default.yaml" >"$WORK/badprobe.yaml"
check "real-service run fails on a probe path the service does not serve" \
  sh -c "! FLEET_PROBE_TIMEOUT=3 $VENV/bin/python ci/k8s/fleet-with-render.py $WORK/badprobe.yaml $NODE $WORK/hook.mjs"

# ---------------------------------------------------------------- Dockerfiles
phase hadolint
printf 'FROM debian:latest\nRUN apt-get update && apt-get install -y curl\n' >"$WORK/Dockerfile.bad"
check "hadolint rejects a bad Dockerfile" sh -c "! hadolint --no-color --config pipeline/hadolint.yaml $WORK/Dockerfile.bad"
shopt -s nullglob
dockerfiles=(deploy/docker/*Dockerfile*)
shopt -u nullglob
[ ${#dockerfiles[@]} -gt 0 ] || echo "note: no deploy/docker/*Dockerfile* yet"
for f in "${dockerfiles[@]}"; do
  check "hadolint $f" hadolint --no-color --config pipeline/hadolint.yaml "$f"
done

tier_end
