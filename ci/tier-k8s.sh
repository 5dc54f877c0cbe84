#!/usr/bin/env bash
# Tier k8s: the Kubernetes packaging (deploy/helm, deploy/kustomize) and the Dockerfiles,
# checked offline: helm lint/template, values-schema rejections, kustomize builds,
# kubeconform -strict against the newest Kubernetes schemas, semantic render checks,
# checkov, the helm-test hook script against a loopback server, hadolint.
# Installs its tools idempotently: Go tools via the Go module proxy into $BIN, Python ones
# into a venv. Prints `tier k8s: N passed, M failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

HELM_VERSION=v3.22.0
KUSTOMIZE_VERSION=v5.8.2 # v5.8.3 needs Go >= 1.27
KUBECONFORM_VERSION=v0.8.0
K8S_SCHEMA_VERSIONS=3 # validate against the newest N minors shipped by kubernetes-validate

CACHE=${FLOTILLA_CACHE:-$HOME/.cache/flotilla}
BIN=$CACHE/bin
VENV=$CACHE/k8s-venv
SCHEMAS=$CACHE/k8s-schemas
export PATH="$BIN:$VENV/bin:/usr/local/go/bin:$PATH"

WORK=$(mktemp -d)
SERVER_PID=""
PIP_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi
  if [ -n "$PIP_PID" ]; then kill "$PIP_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

die() {
  echo "tier-k8s: $*" >&2
  exit 1
}

# ---------------------------------------------------------------- tools
go_tool() { # name module version [go install flags...]
  local name=$1 module=$2 version=$3
  shift 3
  local stamp="$version $*"
  if [ -x "$BIN/$name" ] && [ "$(cat "$BIN/.$name.version" 2>/dev/null)" = "$stamp" ]; then return; fi
  command -v go >/dev/null || die "go is required to install $name (Go module proxy)"
  echo "installing $name $version (go install)"
  mkdir -p "$BIN"
  GOBIN=$BIN GOTOOLCHAIN=local GOFLAGS=-buildvcs=false go install "$@" "$module@$version"
  echo "$stamp" >"$BIN/.$name.version"
}
# Python tools install in the background (mostly download) while Go compiles (mostly CPU).
req=$ROOT/ci/k8s/requirements.txt
PIP_PID=""
if [ "$(cat "$VENV/.requirements" 2>/dev/null)" != "$(cat "$req")" ]; then
  echo "installing Python tools ($req)"
  (python3 -m venv "$VENV" && "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$req" &&
    cp "$req" "$VENV/.requirements") >"$WORK/pip.log" 2>&1 &
  PIP_PID=$!
fi
go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION" \
  -ldflags "-X main.version=$KUBECONFORM_VERSION"
go_tool kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION"
# The ldflags of helm's own Makefile: without them `helm version` is blank and the default
# Kubernetes version for lint/template is 1.20, below the chart's kubeVersion.
HELM_K8S_MINOR=37 # = the k8s.io/client-go minor in helm's go.mod
go_tool helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION" -ldflags "-w -s \
  -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean \
  -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$HELM_K8S_MINOR \
  -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$HELM_K8S_MINOR"

if [ -n "$PIP_PID" ]; then
  wait "$PIP_PID" || { cat "$WORK/pip.log"; die "pip install failed"; }
  PIP_PID=""
fi
for t in helm kustomize kubeconform checkov hadolint; do
  command -v "$t" >/dev/null || die "missing tool: $t"
done

NODE=$ROOT/node_modules/.bin/node
if [ ! -x "$NODE" ]; then
  echo "node_modules missing: npm ci"
  npm ci --no-audit --no-fund >/dev/null
fi

mapfile -t K8S_VERSIONS < <("$VENV/bin/python" ci/k8s/kube-schemas.py "$SCHEMAS" "$K8S_SCHEMA_VERSIONS")
[ "${#K8S_VERSIONS[@]}" -eq "$K8S_SCHEMA_VERSIONS" ] || die "Kubernetes JSON schemas not available (kube-schemas.py)"
SCHEMA_LOCATION="$SCHEMAS/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json"

echo "helm $(helm version --template '{{.Version}}'), kustomize $(kustomize version), kubeconform $(kubeconform -v)," \
  "checkov $(checkov --version), $(hadolint --version), Kubernetes schemas ${K8S_VERSIONS[*]}"

# ---------------------------------------------------------------- harness
passed=0
failed=0
check() { # description command...
  local what=$1
  shift
  if "$@" >"$WORK/out" 2>&1; then
    passed=$((passed + 1))
    echo "ok   $what"
  else
    failed=$((failed + 1))
    echo "FAIL $what"
    sed 's/^/     /' "$WORK/out" | tail -n 40
  fi
}

CHART=deploy/helm/flotilla
FULL=ci/k8s/values-full.yaml
R=$WORK/render
mkdir -p "$R"

# ---------------------------------------------------------------- helm
check "helm lint --strict (default values)" helm lint --strict "$CHART"
check "helm lint --strict (values-full)" helm lint --strict "$CHART" -f "$FULL"
check "helm template (default values)" sh -c "helm template flotilla $CHART -n flotilla >$R/default.yaml"
check "helm template (values-full)" sh -c "helm template flotilla $CHART -n flotilla -f $FULL >$R/full.yaml"

config_checksum() { # messages -> the checksum/config annotation rendered for hello
  helm template flotilla "$CHART" --set-string "services.hello.configMap.data.messages=$1" |
    grep 'checksum/config:'
}
checksum_changes() {
  local a b
  a=$(config_checksum one)
  b=$(config_checksum two)
  [ -n "$a" ] && [ "$a" != "$b" ]
}
check "a ConfigMap change changes checksum/config (rolls the pods)" checksum_changes

disabled_render() {
  helm template flotilla "$CHART" --set services.hello.enabled=false >"$R/none.yaml" &&
    ! grep -q '^kind:' "$R/none.yaml"
}
check "services.hello.enabled=false renders no object (false overrides a default)" disabled_render

added_service() { # adding a service is values-only: a second block renders a second stack
  cat >"$WORK/extra.yaml" <<'EOF'
services:
  stats:
    enabled: true
    image: { repository: flotilla/stats }
    port: 8080
    networkPolicy: { enabled: false }
EOF
  helm template flotilla "$CHART" -f "$WORK/extra.yaml" >"$R/extra.yaml" &&
    [ "$(grep -c '^kind: Deployment' "$R/extra.yaml")" = 2 ] &&
    grep -q 'name: flotilla-stats$' "$R/extra.yaml" &&
    [ "$(grep -c '^kind: NetworkPolicy' "$R/extra.yaml")" = 1 ]
}
check "a new service is a values block only (stats renders beside hello)" added_service

# Bad values must fail at template time, with the message named in the file's first line.
for f in ci/k8s/bad-values/*.yaml; do
  expect=$(sed -n '1s/^# expect: //p' "$f")
  bad_values() {
    [ -n "$expect" ] || { echo "$f: first line must be '# expect: <message>'"; return 1; }
    if helm template flotilla "$CHART" -f "$f" >"$WORK/bad.out" 2>&1; then
      echo "rendered without error"
      return 1
    fi
    grep -qF -- "$expect" "$WORK/bad.out" || { cat "$WORK/bad.out"; echo "(expected: $expect)"; return 1; }
  }
  check "schema rejects $(basename "$f" .yaml)" bad_values
done

# ---------------------------------------------------------------- kustomize
fresh_base() {
  ci/k8s/render-kustomize-base.sh "$WORK/base-fresh.yaml" &&
    diff -u deploy/kustomize/base/flotilla.yaml "$WORK/base-fresh.yaml"
}
check "kustomize base equals a fresh render of the chart" fresh_base
for o in base overlays/dev overlays/prod; do
  name=$(basename "$o")
  check "kustomize build $o" sh -c "kustomize build deploy/kustomize/$o >$R/$name.yaml"
done

# ---------------------------------------------------------------- validation
for render in default full base dev prod; do
  for v in "${K8S_VERSIONS[@]}"; do
    check "kubeconform -strict $render.yaml (Kubernetes $v)" \
      kubeconform -strict -summary -kubernetes-version "$v" -schema-location "$SCHEMA_LOCATION" "$R/$render.yaml"
  done
  check "render rules: $render" "$VENV/bin/python" ci/k8s/assert-render.py "$render" "$R/$render.yaml"
  # The base has no namespace (each overlay sets one): it is checked through the overlays.
  if [ "$render" != base ]; then
    check "checkov: $render" checkov --quiet --compact --config-file ci/k8s/checkov.yaml -f "$R/$render.yaml"
  fi
done

# The validators must be able to fail: an unknown field and a privileged container.
sed 's/^\(  *\)revisionHistoryLimit:/\1revisionHistoryLimits:/' "$R/default.yaml" >"$WORK/broken.yaml"
check "kubeconform rejects an unknown field" \
  sh -c "! kubeconform -strict -kubernetes-version ${K8S_VERSIONS[0]} -schema-location '$SCHEMA_LOCATION' $WORK/broken.yaml"
sed 's/allowPrivilegeEscalation: false/allowPrivilegeEscalation: true/' "$R/default.yaml" >"$WORK/escalate.yaml"
check "checkov rejects allowPrivilegeEscalation: true" \
  sh -c "! checkov --quiet --compact --config-file ci/k8s/checkov.yaml -f $WORK/escalate.yaml"
check "render rules reject allowPrivilegeEscalation: true" \
  sh -c "! $VENV/bin/python ci/k8s/assert-render.py default $WORK/escalate.yaml"

# ---------------------------------------------------------------- helm test hook
# Run the hook's own script (the Pod's args) with the repo's Node 24 against loopback
# servers: it must pass on `hello\n` and fail on a wrong body.
hook_script() {
  "$VENV/bin/python" - "$R/default.yaml" <<'EOF'
import sys, yaml
pods = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d["kind"] == "Pod"]
c = pods[0]["spec"]["containers"][0]
assert c["command"][0] == "/usr/local/bin/node", c["command"]
print(c["args"][0])
EOF
}
hook_script >"$WORK/hook.mjs"
"$NODE" -e '
  const http = require("node:http");
  const srv = http.createServer((req, res) => {
    if (req.url === "/hello") { res.end("hello\n"); return; }
    res.statusCode = 404; res.end("nope\n");
  });
  srv.listen(0, "127.0.0.1", () => console.log(srv.address().port));
' >"$WORK/port" &
SERVER_PID=$!
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
PORT=$(cat "$WORK/port")
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

# ---------------------------------------------------------------- Dockerfiles
printf 'FROM debian:latest\nRUN apt-get update && apt-get install -y curl\n' >"$WORK/Dockerfile.bad"
check "hadolint rejects a bad Dockerfile" sh -c "! hadolint --no-color --config ci/k8s/hadolint.yaml $WORK/Dockerfile.bad"
shopt -s nullglob
dockerfiles=(deploy/docker/*Dockerfile*)
shopt -u nullglob
[ ${#dockerfiles[@]} -gt 0 ] || echo "note: no deploy/docker/*Dockerfile* yet"
for f in "${dockerfiles[@]}"; do
  check "hadolint $f" hadolint --no-color --config ci/k8s/hadolint.yaml "$f"
done

echo "tier k8s: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
