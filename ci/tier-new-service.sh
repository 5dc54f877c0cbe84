#!/usr/bin/env bash
# Tier new-service: `npm run new-service -- <name>` as a new user runs it, in a throwaway copy of
# the working tree (a git repository of its own, never the tree itself), then what its first pull
# request runs, by the pipeline's own steps: changed-services names it, pipeline/lint (Biome, tsc,
# every derived file up to date: npm run generate -- --check) passes, pipeline/test runs its
# tests, pipeline/build-images builds its image, which serves its route hardened and turns
# healthy. Every derived file includes it (fleet.json, monitoring, each environment's images and
# Kustomize render); the chart renders and validates with its values block (kubeconform -strict,
# the render rules); its compose entry is valid; `npm start` of it serves the route; then
# everything is removed.
# Prints the phase timeline and `tier new-service: N passed, M failed` (tier_end, ci/lib/harness.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source ci/lib/harness.sh
source tools/lib/tools.sh
tier_begin new-service

NAME=${NEW_SERVICE_NAME:-scaffold-probe}
WORK=$(mktemp -d /tmp/flotilla-new-service.XXXXXX)
COPY=$WORK/repo
DOCKER=/usr/bin/docker
RUN_ID="flotilla-new-service-$$"
SERVICE_PID=""
export FLOTILLA_OUT=$WORK/out STANDIN_BASES=1 IMAGE_REPO=flotilla
source tools/lib/docker-engine.sh
cleanup() {
  set +e
  [[ -n "$SERVICE_PID" ]] && kill -TERM -- "-$SERVICE_PID" 2>/dev/null
  if "$DOCKER" info >/dev/null 2>&1; then
    "$DOCKER" rm -f "$RUN_ID" >/dev/null 2>&1
    [[ -d "$COPY" ]] && bash "$COPY/pipeline/clean-images" >/dev/null 2>&1
  fi
  stop_engine
  rm -rf "$WORK"
}
trap cleanup EXIT

phase tools
gate "helm, kubeconform, Docker, Compose (ci/tools/new-service.sh)" bash ci/tools/new-service.sh || { tier_end; exit 1; }
gate "checkov, kubernetes-validate (venv-k8s)" pip_venv k8s tools/requirements/checkov.txt || { tier_end; exit 1; }
VENV=$FLOTILLA_CACHE/venv-k8s
mapfile -t K8S_VERSIONS < <("$VENV/bin/python" ci/k8s/kube-schemas.py "$FLOTILLA_CACHE/k8s-schemas" 1)
gate "a Docker engine answers" start_engine || { tier_end; exit 1; }
gate "stand-in base image available" bash deploy/docker/base/build-standin-bases.sh || { tier_end; exit 1; }

phase "throwaway copy"
tree_before=$(git status --porcelain=v1 --untracked-files=all | sha256sum)
copy_tree() { # the working tree as it is (tracked and untracked, not ignored), node_modules installed
  # afresh, committed as the base a pull request starts from
  mkdir -p "$COPY"
  git ls-files -co --exclude-standard -z | tar --null -T - -cf - | tar -xf - -C "$COPY"
  (cd "$COPY" && nice -n 10 npm ci --no-audit --no-fund --prefer-offline --loglevel=error &&
    git init -q -b main && git add -A && git -c user.name=ci -c user.email=ci@example.com commit -q -m base)
}
gate "copy of the working tree with npm ci, committed as the base" copy_tree || { tier_end; exit 1; }
cd "$COPY"
NODE=$COPY/node_modules/.bin/node

phase scaffold
t0=$SECONDS
gate "npm run new-service -- $NAME" npm run new-service -- "$NAME" || { tier_end; exit 1; }
echo "        scaffolded in $((SECONDS - t0)) s"
refuses() { # refuses NAME PATTERN: new-service exits 2 naming the problem, and writes nothing
  local out rc=0
  out=$(npm run --silent new-service -- "$1" 2>&1) || rc=$?
  ((rc == 2)) || fail "exit $rc for '$1'"
  grep -q -- "$2" <<<"$out" || fail "no '$2' in: $out"
}
check "refuses an existing service (negative control)" refuses "$NAME" "already exists"
check "refuses a bad name (negative control)" refuses "Bad_Name" "is not a service name"
check "the registry lists it" bash -c "'$NODE' scripts/registry.ts names | grep -qx '$NAME'"
check "the scaffold, committed: the pull request's one commit" \
  bash -c "git add -A && git -c user.name=ci -c user.email=ci@example.com commit -q -m 'new service $NAME'"

phase "every derived file"
has() { grep -q -- "$2" "$1" || fail "$1 lacks '$2'"; }
check "fleet.json lists it (Terraform)" has deploy/terraform/fleet.json "\"name\": \"$NAME\""
check "Prometheus scrapes it (compose and npm start targets)" \
  bash -c "grep -q '\"$NAME:' deploy/monitoring/prometheus/targets/compose.json && grep -q '\"service\": \"$NAME\"' deploy/monitoring/prometheus/targets/local.json"
check "its Grafana dashboard, and the chart's copy" \
  test -s "deploy/monitoring/grafana/dashboards/flotilla-$NAME.json" -a -s "deploy/helm/flotilla/files/dashboards/flotilla-$NAME.json"
check "prod's render pulls it from prod's one registry (global.imageRegistry)" has deploy/kustomize/overlays/prod/flotilla.yaml "image: registry.example.com/flotilla/$NAME:"
for env in dev prod; do
  check "the $env Kustomize render has its Deployment" has "deploy/kustomize/overlays/$env/flotilla.yaml" "name: flotilla-$NAME\$"
done
check "no environment file was edited (git diff of deploy/flux/apps/*/flotilla-values.yaml, overlays' kustomization.yaml)" \
  git diff --quiet HEAD~1 HEAD -- 'deploy/flux/apps/*/flotilla-values.yaml' 'deploy/kustomize/overlays/*/kustomization.yaml'
stale_named() { # the check the lint step runs names a stale file (fleet.json put back as it was)
  git show HEAD~1:deploy/terraform/fleet.json >"$WORK/fleet.json" && cp deploy/terraform/fleet.json "$WORK/fleet.new"
  cp "$WORK/fleet.json" deploy/terraform/fleet.json
  local out rc=0
  out=$("$NODE" scripts/generate.ts --check 2>&1) || rc=$?
  cp "$WORK/fleet.new" deploy/terraform/fleet.json
  ((rc == 1)) || fail "exit $rc"
  grep -q "deploy/terraform/fleet.json is out of date" <<<"$out" || fail "not named: $out"
}
check "npm run generate -- --check fails naming a stale file (negative control)" stale_named

phase "its pull request, by the pipeline's steps"
check "changed-services names it" bash -c "bash pipeline/changed-services HEAD~1 HEAD | grep -qx '$NAME'"
t0=$SECONDS
check "pipeline/lint (Biome, tsc, npm run generate -- --check)" bash pipeline/lint
echo "        lint in $((SECONDS - t0)) s"
check "pipeline/test $NAME (its tests)" bash pipeline/test "$NAME"

phase chart
R=$WORK/render.yaml
check "helm lint --strict with its values block" helm lint --strict deploy/helm/flotilla
check "helm template renders its Deployment" bash -c "helm template flotilla deploy/helm/flotilla -n flotilla --set global.imageRegistry=flotilla >'$R' && grep -q 'name: flotilla-$NAME\$' '$R'"
# an empty render would validate vacuously (kubeconform passes a file with no objects)
validates() {
  [[ -s "$R" ]] || { fail "the render is empty"; return 1; }
  kubeconform -strict -summary -kubernetes-version "${K8S_VERSIONS[0]}" \
    -schema-location "$FLOTILLA_CACHE/k8s-schemas/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json" "$R"
}
check "kubeconform -strict (Kubernetes ${K8S_VERSIONS[0]})" validates
check "render rules (counts from the values, registry = chart, probes on its documented routes)" "$VENV/bin/python" ci/k8s/assert-render.py default "$R"
check "compose.yaml with its service is valid (Compose)" bash -c "FLOTILLA_SECRETS_DIR='$WORK/secrets' bash deploy/compose/init-secrets.sh '$WORK/secrets' >/dev/null && FLOTILLA_SECRETS_DIR='$WORK/secrets' docker-compose -f compose.yaml config --quiet && FLOTILLA_SECRETS_DIR='$WORK/secrets' docker-compose -f compose.yaml config --services | grep -qx '$NAME'"

phase image
t0=$SECONDS
if gate "pipeline/build-images $NAME (the one Node Dockerfile)" bash pipeline/build-images "$NAME"; then
  echo "        built in $((SECONDS - t0)) s"
  IMAGE=$(head -n1 "$FLOTILLA_OUT/images/$NAME.tags")
  port=$(free_port)
  # shellcheck disable=SC2054 # the commas are tmpfs mount options
  "$DOCKER" run -d --name "$RUN_ID" --read-only --tmpfs /tmp:rw,noexec,nosuid,size=16m --cap-drop ALL \
    --security-opt no-new-privileges -p "127.0.0.1:$port:8080" "$IMAGE" >/dev/null
  check "the container serves /healthz (read-only root, no capabilities)" wait_http "http://127.0.0.1:$port/healthz" 30
  healthy() { [[ "$("$DOCKER" inspect --format '{{.State.Health.Status}}' "$RUN_ID")" == healthy ]]; }
  check "its Docker health check turns healthy" eventually 60 healthy
  route_answers() { # BASE: GET /NAME?who=CI answers the greeting
    local body
    body=$(curl -fsS --max-time 5 "$1/$NAME?who=CI") || { fail "GET /$NAME failed"; return 1; }
    [[ "$body" == '{"message":"Hello, CI!"}' ]] || fail "body: $body"
  }
  check "the container answers GET /$NAME" route_answers "http://127.0.0.1:$port"
  check "the container runs as 65532" bash -c "[[ \$('$DOCKER' inspect --format '{{.Config.User}}' $IMAGE) == 65532:65532 ]]"
  stops() { "$DOCKER" stop -t 30 "$RUN_ID" >/dev/null && [[ $("$DOCKER" inspect --format '{{.State.ExitCode}}' "$RUN_ID") == 0 ]] || fail "exit code not 0"; }
  check "docker stop: graceful exit 0" stops
fi

phase "npm start"
port=$(free_port)
PORT=$port HOST=127.0.0.1 setsid npm start -w "services/$NAME" >"$WORK/start.log" 2>&1 </dev/null &
SERVICE_PID=$!
check "npm start -w services/$NAME serves /readyz" wait_http "http://127.0.0.1:$port/readyz" 60
check "and answers GET /$NAME" route_answers "http://127.0.0.1:$port"
route_fails() { ! (route_answers "$@") 2>/dev/null; }
check "the route check can fail: a wrong greeting is caught (negative control)" route_fails "http://127.0.0.1:$port/nope"
stop_process() {
  kill -TERM -- "-$SERVICE_PID"
  local rc=0
  wait "$SERVICE_PID" || rc=$?
  SERVICE_PID=""
  grep -q '"shutdown complete"' "$WORK/start.log" || fail "no completed drain (exit $rc): $(tail -n 5 "$WORK/start.log")"
}
check "SIGTERM: it drains and stops" stop_process

phase "clean up"
cd "$ROOT"
removed() {
  local tags=() tag
  [[ -f "$FLOTILLA_OUT/images/$NAME.tags" ]] && mapfile -t tags <"$FLOTILLA_OUT/images/$NAME.tags"
  "$DOCKER" rm -f "$RUN_ID" >/dev/null 2>&1 || true
  bash "$COPY/pipeline/clean-images" >/dev/null
  rm -rf "$COPY"
  for tag in "${tags[@]}"; do
    ! "$DOCKER" image inspect "$tag" >/dev/null 2>&1 || fail "image $tag still there"
  done
  [[ ! -e "$COPY" ]] || fail "copy still there"
  [[ "$(git status --porcelain=v1 --untracked-files=all | sha256sum)" == "$tree_before" ]] || fail "the working tree changed: $(git status --short | head)"
  [[ ! -e "services/$NAME" ]] || fail "services/$NAME exists in the tree"
}
check "the copy and the image are gone; the working tree is as it was" removed
tier_end
