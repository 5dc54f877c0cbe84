# shellcheck shell=bash
# The delivery tier's checks of what happens after scan: publishing is idempotent against an
# immutable registry, promote hands the digests over to Flux through git, roll-ecs rolls ECS, and
# the CVE gate fails (never skips) when it cannot run (a value other than 0/1: tier pipelines). Sourced by ci/tier-delivery.sh after
# scenarios.sh; uses STATE, CLONE, REG, PIPELINE_ENV, run_step and the runs of full_run and
# unsigned_refused (out-full, out-unsigned).

# tags_snapshot SVC: every tag of SVC's repository and its digest, sorted (signatures included).
tags_snapshot() {
  local repo=$REG/flotilla/$1 t
  for t in $(in_cluster env "${PIPELINE_ENV[@]}" crane ls "$repo" | sort); do
    echo "$t $(in_cluster env "${PIPELINE_ENV[@]}" crane digest "$repo:$t")"
  done
}

# rerun_out OUT SVC: OUT as build-images would leave it for the full run's commit: SVC's archive
# (pulled back from the registry by digest), its tags, its SBOM.
rerun_out() {
  local out=$1 svc=$2 sha version
  sha=$(cat "$STATE/full-run.sha") || return 1
  version=$("$NODE" scripts/registry.ts get "$svc" version)
  rm -rf "$out" && mkdir -p "$out/images" "$out/sbom" || return 1
  printf '%s\n' "flotilla/$svc:$version" "flotilla/$svc:$version-${sha:0:12}" >"$out/images/$svc.tags"
  cp "$STATE/out-full/sbom/$svc.cdx.json" "$out/sbom/" &&
    in_cluster env "${PIPELINE_ENV[@]}" crane pull "$(cat "$STATE/out-full/pushed/$svc")" "$out/images/$svc.tar"
}

# A rerun of push and sign for a published image writes no tag; another image under its tag is
# refused and the tag keeps its digest.
publish_idempotent() {
  local out=$STATE/out-rerun log=$STATE/rerun.log before after
  rerun_out "$out" hello || { fail "cannot recreate hello's archive"; return 1; }
  before=$(tags_snapshot hello)
  [[ "$before" == *.sig\ sha256:* && "$before" == *.att\ sha256:* ]] || fail "no signature and attestation tags: $before"
  { run_step "$out" push hello && run_step "$out" sign hello; } >"$log" 2>&1 || { fail "rerun failed: $(tail -n 2 "$log")"; return 1; }
  grep -q 'not pushed again' "$log" || fail "push did not skip the published tag"
  if ! grep -q 'already signed by this key' "$log" || ! grep -q 'SBOM already attested by this key' "$log"; then
    fail "sign did not skip: $(grep -m2 sign: "$log")"
  fi
  [[ "$(cat "$out/pushed/hello")" == "$(cat "$STATE/out-full/pushed/hello")" ]] || fail "pushed/hello differs from the full run's"
  after=$(tags_snapshot hello)
  [[ "$after" == "$before" ]] || fail "the rerun moved a tag: $(diff <(echo "$before") <(echo "$after") | head -n 4)"
  # negative: stats' image under hello's tag
  in_cluster env "${PIPELINE_ENV[@]}" crane pull "$(cat "$STATE/out-full/pushed/stats")" "$out/images/hello.tar" || return 1
  if run_step "$out" push hello >"$log" 2>&1; then fail "push overwrote an existing tag with another digest"; fi
  grep -q 'refusing to overwrite' "$log" || fail "no refusal: $(tail -n 1 "$log")"
  [[ "$(tags_snapshot hello)" == "$before" ]] || fail "a refused push changed a tag"
}

# negative control of the snapshot: a tag added by hand shows
snapshot_sees_change() {
  local before
  before=$(tags_snapshot hello)
  in_cluster env "${PIPELINE_ENV[@]}" crane tag "$(cat "$STATE/out-full/pushed/hello")" "probe-$(date +%s%N)" >/dev/null 2>&1 || return 1
  [[ "$(tags_snapshot hello)" != "$before" ]] || fail "the snapshot missed a new tag"
}

# The git server Flux would read: a bare clone of the clone, whose first push meets a branch that
# moved meanwhile (its pre-receive hook lands another commit, outside the push's quarantine, and
# declines the push).
FLUX_REMOTE=""
flux_remote() {
  FLUX_REMOTE=$STATE/flux.git
  git clone -q --bare "$CLONE" "$FLUX_REMOTE" || return 1
  cat >"$FLUX_REMOTE/hooks/pre-receive" <<'HOOK'
#!/bin/bash
[[ -e moved ]] && exit 0
touch moved
while read -r old _new ref; do
  (
    unset GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES
    c=$(GIT_AUTHOR_NAME=other GIT_AUTHOR_EMAIL=other@flotilla.invalid GIT_COMMITTER_NAME=other \
      GIT_COMMITTER_EMAIL=other@flotilla.invalid git commit-tree "$old^{tree}" -p "$old" -m "landed meanwhile")
    git update-ref "$ref" "$c" "$old"
  )
done
echo "the branch moved" >&2
exit 1
HOOK
  chmod +x "$FLUX_REMOTE/hooks/pre-receive"
  PIPELINE_ENV+=(PROMOTE_REMOTE="$FLUX_REMOTE" PROMOTE_BRANCH="$(git -C "$CLONE" branch --show-current)")
}

remote_file() { git -C "$FLUX_REMOTE" show "$(git -C "$CLONE" branch --show-current):$1"; }

# the image references the chart renders for ENV from the remote's files, as Flux renders them
flux_images() {
  local env=$1
  remote_file "deploy/flux/apps/$env/images.yaml" >"$STATE/$env-images.yaml" || return 1
  helm template flotilla "$CLONE/deploy/helm/flotilla" -f "$CLONE/deploy/helm/flotilla/values.yaml" \
    -f "$CLONE/deploy/flux/apps/$env/flotilla-values.yaml" -f "$STATE/$env-images.yaml" |
    sed -n 's/^ *image: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' | sort -u
}

# every image this run pushed (out-full), as name=ref lines
pushed_refs() {
  local f
  for f in "$STATE"/out-full/pushed/*; do [[ "$f" == *.log ]] || echo "$(basename "$f")=$(cat "$f")"; done | sort
}

promote_dev() {
  local out=$STATE/out-promote log=$STATE/promote.log branch ref
  branch=$(git -C "$CLONE" branch --show-current)
  rm -rf "$out" && mkdir -p "$out" && cp -r "$STATE/out-full/pushed" "$out/" || return 1
  run_step "$out" promote dev >"$log" 2>&1 || { fail "promote dev failed: $(tail -n 2 "$log")"; return 1; }
  grep -q "$branch moved meanwhile (attempt 1)" "$log" || fail "the moved branch was not met: $(tail -n 2 "$log")"
  [[ "$(git -C "$FLUX_REMOTE" log -2 --format=%s "$branch" | tail -n 1)" == "landed meanwhile" ]] ||
    fail "the promotion is not on top of the commit that landed meanwhile"
  git -C "$FLUX_REMOTE" log -1 --format=%s "$branch" | grep -q '^promote dev: .*\[skip ci\]$' || fail "commit: $(git -C "$FLUX_REMOTE" log -1 --format=%s "$branch")"
  [[ "$(sort "$out/promoted/dev.images")" == "$(pushed_refs)" ]] || fail "promoted/dev.images differs from what was pushed"
  # what Flux would render: every pushed image, by digest
  local rendered
  rendered=$(flux_images dev) || { fail "helm template with dev's files failed"; return 1; }
  while IFS='=' read -r _ ref; do
    grep -qxF "$ref" <<<"$rendered" || fail "dev's render does not run $ref"
  done < <(pushed_refs)
  # again: nothing to commit
  local head
  head=$(git -C "$FLUX_REMOTE" rev-parse "$branch")
  run_step "$out" promote dev >"$log" 2>&1 || fail "a second promote failed: $(tail -n 1 "$log")"
  grep -q 'dev already names these images' "$log" || fail "a second promote did not see it had nothing to do"
  [[ "$(git -C "$FLUX_REMOTE" rev-parse "$branch")" == "$head" ]] || fail "a second promote committed again"
}

# negative: an unsigned image (unsigned_refused pushed it by hand) is never handed to Flux
promote_refuses_unsigned() {
  local out=$STATE/out-unsigned log=$STATE/promote-unsigned.log branch head
  branch=$(git -C "$CLONE" branch --show-current)
  head=$(git -C "$FLUX_REMOTE" rev-parse "$branch")
  if run_step "$out" promote dev >"$log" 2>&1; then fail "promote handed an unsigned image to Flux"; fi
  grep -q 'refusing to promote to dev' "$log" || fail "no refusal: $(tail -n 1 "$log")"
  [[ "$(git -C "$FLUX_REMOTE" rev-parse "$branch")" == "$head" ]] || fail "a refused promote changed the branch"
}

promote_prod() {
  local out=$STATE/out-promote-prod log=$STATE/promote-prod.log branch
  branch=$(git -C "$CLONE" branch --show-current)
  rm -rf "$out" && mkdir -p "$out"
  run_step "$out" promote prod --from dev --release >"$log" 2>&1 || { fail "promote prod failed: $(tail -n 2 "$log")"; return 1; }
  local tag
  tag=$(git -C "$FLUX_REMOTE" tag --points-at "$branch")
  [[ "$tag" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "the promotion commit carries no release tag (tags: $tag)"
  [[ "$(git -C "$FLUX_REMOTE" show "$tag:deploy/flux/apps/prod/images.yaml" | grep -v '^#')" == \
    "$(git -C "$FLUX_REMOTE" show "$tag:deploy/flux/apps/dev/images.yaml" | grep -v '^#')" ]] ||
    fail "the release's prod images differ from dev's"
  [[ "$(sort "$out/promoted/prod.images")" == "$(pushed_refs)" ]] || fail "promoted/prod.images differs from dev's images"
}

# --- ECS: roll-ecs against moto (a local AWS API), the services as Terraform's first apply leaves
# them: the task definition naming the registry's <version> tag, never pushed
MOTO_PID=""
MOTO_URL=""
ECS_ENV=()
moto_up() {
  local port
  port=$(free_port)
  "$FLOTILLA_CACHE/venv-moto/bin/moto_server" -H 127.0.0.1 -p "$port" >"$STATE/moto.log" 2>&1 &
  MOTO_PID=$!
  MOTO_URL=http://127.0.0.1:$port
  ECS_ENV=(AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=eu-west-1
    AWS_ENDPOINT_URL="$MOTO_URL" AWS_EC2_METADATA_DISABLED=true ECS_CLUSTER=flotilla-dev)
  eventually 60 curl -sf -o /dev/null "$MOTO_URL/moto-api/"
}
moto_and_services() { moto_up && ecs_services; }
moto_down() { [[ -z "$MOTO_PID" ]] || kill "$MOTO_PID" 2>/dev/null; }
aws_() { env "${ECS_ENV[@]}" aws --endpoint-url "$MOTO_URL" "$@"; } # a flag: Debian's CLI ignores the variable

ecs_services() { # one Fargate service per promoted image, on the <version> tag Terraform names
  local svc ref
  aws_ ecs create-cluster --cluster-name flotilla-dev >/dev/null || return 1
  while IFS='=' read -r svc ref; do
    aws_ ecs register-task-definition --family "flotilla-dev-$svc" --requires-compatibilities FARGATE \
      --network-mode awsvpc --cpu 256 --memory 512 --container-definitions \
      "[{\"name\":\"$svc\",\"image\":\"${ref%@*}:0.1.0\",\"essential\":true,\"readonlyRootFilesystem\":true,\"user\":\"65532\"}]" \
      >/dev/null || return 1
    aws_ ecs create-service --cluster flotilla-dev --service-name "$svc" --task-definition "flotilla-dev-$svc" \
      --desired-count 1 --launch-type FARGATE >/dev/null || return 1
  done <"$STATE/out-promote/promoted/dev.images"
}

roll_step() { env "${ECS_ENV[@]}" FLOTILLA_OUT="$1" ECS_WAIT=0 bash "$CLONE/pipeline/roll-ecs" dev; }

ecs_rolled() {
  local out=$STATE/out-promote log=$STATE/roll-ecs.log svc ref td
  roll_step "$out" >"$log" 2>&1 || { fail "roll-ecs failed: $(tail -n 2 "$log")"; return 1; }
  while IFS='=' read -r svc ref; do
    td=$(aws_ ecs describe-services --cluster flotilla-dev --services "$svc" --query 'services[0].taskDefinition' --output text)
    [[ "$td" == *":flotilla-dev-$svc:2" || "$td" == *"/flotilla-dev-$svc:2" ]] || fail "$svc: the service runs $td, want revision 2"
    [[ "$(aws_ ecs describe-task-definition --task-definition "$td" \
      --query 'taskDefinition.containerDefinitions[0].[image,readonlyRootFilesystem,user]' --output text)" == "$ref"$'\t'True$'\t'65532 ]] ||
      fail "$svc: revision 2 is not revision 1 with $ref"
  done <"$out/promoted/dev.images"
  roll_step "$out" >"$log" 2>&1 || fail "a second roll-ecs failed"
  grep -q 'every ECS service of dev already runs its images' "$log" || fail "a second roll-ecs rolled again"
}

# negative: an image whose service ECS does not have
ecs_refuses_unknown() {
  local out=$STATE/out-ecs-ghost log=$STATE/roll-ecs-ghost.log
  mkdir -p "$out/promoted" && cp "$STATE/out-promote/promoted/dev.images" "$out/promoted/" || return 1
  echo "ghost=$REG/flotilla/ghost@sha256:$(printf '0%.0s' {1..64})" >>"$out/promoted/dev.images"
  if roll_step "$out" >"$log" 2>&1; then fail "roll-ecs passed with a service ECS lacks"; fi
  grep -q "no ECS service 'ghost' in cluster flotilla-dev" "$log" || fail "no clear error: $(tail -n 1 "$log")"
}

# --- the CVE gate: switched on, it fails when it cannot run, before any other scanner
cve_gate_step() { # OUT ENV...: pipeline/scan hello on this host (grype needs no cluster)
  local out=$1
  shift
  env "${PIPELINE_ENV[@]}" FLOTILLA_OUT="$out" "$@" bash "$CLONE/pipeline/scan" hello
}

cve_gate_no_db() {
  local log=$STATE/cve-no-db.log
  mkdir -p "$STATE/grype-db"
  if cve_gate_step "$STATE/out-cve" SCAN_VULNERABILITIES=1 GRYPE_DB_CACHE_DIR="$STATE/grype-db" >"$log" 2>&1; then
    fail "the CVE gate passed without a vulnerability database"
  fi
  grep -q 'grype has no vulnerability database and cannot download one' "$log" || fail "no clear error: $(tail -n 1 "$log")"
  if grep -q '^scan: clean:' "$log"; then fail "scanners ran although the gate could not"; fi
}

cve_gate_no_grype() {
  local log=$STATE/cve-no-grype.log
  if cve_gate_step "$STATE/out-cve" SCAN_VULNERABILITIES=1 FLOTILLA_CACHE="$STATE/no-tools" PATH=/usr/bin:/bin >"$log" 2>&1; then
    fail "the CVE gate passed without grype"
  fi
  grep -q 'grype not found on PATH' "$log" || fail "no clear error: $(tail -n 1 "$log")"
}

handover_checks() {
  check "publish rerun: push skips the published tag, sign skips what verifies, no tag moves; another image under the tag is refused" publish_idempotent
  check "the tag snapshot sees a tag added by hand (negative control)" snapshot_sees_change
  gate "a git remote for Flux whose branch moves during the first push" flux_remote || return 1
  check "promote dev: the pushed digests committed where Flux reads them (on top of the moved branch), rendered by the chart; a rerun commits nothing" promote_dev
  check "promote refuses an unsigned image, the branch unchanged" promote_refuses_unsigned
  check "promote prod --from dev --release: dev's digests in prod's file, tagged vX.Y.Z" promote_prod
  gate "moto (a local AWS API) with dev's ECS services on the never-pushed <version> tag" moto_and_services || return 1
  check "roll-ecs dev: each service on a new task definition revision with the promoted digest, the rest kept; a rerun rolls nothing" ecs_rolled
  check "roll-ecs fails naming an image whose ECS service does not exist" ecs_refuses_unknown
  check "the CVE gate on without a grype database fails before any scanner (never skips)" cve_gate_no_db
  check "the CVE gate on without grype fails naming it" cve_gate_no_grype
}
