# shellcheck shell=bash
# act (nektos/act) runs .github/workflows/pull-request.yml on this host (-P ubuntu-latest=-self-hosted:
# no container), in a throwaway clone with a pull request that touches only services/stats. The
# third-party actions cannot be fetched from GitHub: --local-repository maps each pinned
# actions/<name>@<sha> to its stand-in in ci/pipelines/act/<name> (they say what they do not do).
# The CVE gate is switched off (--var SCAN_VULNERABILITIES=0): grype cannot download its database
# here, and switched on it fails (tier delivery proves that).
# Sourced by ci/tier-pipelines.sh after the harness; defines act_checks.

# act_pr CLONE BASE HEAD LOG [act args...]: runs the workflow for a pull request BASE..HEAD.
act_pr() {
  local clone=$1 base=$2 head=$3 log=$4
  shift 4
  local wf=.github/workflows/pull-request.yml maps=() action sha
  while read -r action sha; do
    [[ -d "$ROOT/ci/pipelines/act/${action#actions/}" ]] || { echo "no stand-in for $action" >&2; return 1; }
    maps+=(--local-repository "$action@$sha=$ROOT/ci/pipelines/act/${action#actions/}")
  done < <(grep -oE 'uses: actions/[a-z-]+@[0-9a-f]{40}' "$clone/$wf" | sed 's/uses: //; s/@/ /' | sort -u)
  cat >"$WORK/act-event.json" <<JSON
{"pull_request": {"number": 1, "base": {"sha": "$base", "ref": "main"}, "head": {"sha": "$head", "ref": "feature"}},
 "repository": {"full_name": "flotilla/flotilla", "default_branch": "main"}}
JSON
  (cd "$clone" && act pull_request -W "$wf" -e "$WORK/act-event.json" -P ubuntu-latest=-self-hosted \
    --action-cache-path "$WORK/act-cache" --action-offline-mode --var STANDIN_BASES=1 --var SCAN_VULNERABILITIES=0 \
    --env "FLOTILLA_CACHE=$FLOTILLA_CACHE" "${maps[@]}" "$@") >"$log" 2>&1
}

# act_clone DIR: a clone of this commit with one more commit that touches only services/stats.
act_clone() {
  local dir=$1
  git clone -q --no-local "$ROOT" "$dir" || return 1
  git -C "$dir" config user.email ci@flotilla.invalid && git -C "$dir" config user.name "tier pipelines"
  echo "// touched by tier pipelines (act)" >>"$dir/services/stats/src/main.ts"
  git -C "$dir" commit -qam "stats: a change for the act run"
}

act_ok() {
  local log=$WORK/act.log base head
  act_clone "$WORK/pr" || { fail "cannot make the clone"; return 1; }
  base=$(git -C "$WORK/pr" rev-parse HEAD~1)
  head=$(git -C "$WORK/pr" rev-parse HEAD)
  act_pr "$WORK/pr" "$base" "$head" "$log" || { tail -n 40 "$log"; fail "act failed (log above)"; return 1; }
  # the matrix came from changed-services: only stats was tested and built
  grep -q 'services=\["stats"\]' "$log" || fail "changes did not output [\"stats\"]"
  grep -qE '\[pull-request/test(-1)? *\].*(stats|Success - Main pipeline/test)' "$log" || fail "no test job ran for stats"
  grep -q 'build-images: stats/\|stats: flotilla/stats' "$log" || fail "stats' image was not built"
  if grep -qE 'hello: flotilla/hello|web: flotilla/web' "$log"; then fail "an unchanged service was built"; fi
  local jobs
  jobs=$(grep -cE '🏁  Job succeeded' "$log")
  ((jobs >= 4)) || fail "only $jobs job(s) succeeded, want changes, lint, test, image"
  echo "act: $jobs jobs succeeded"
}

act_lint_fails() { # negative control: a pull request with a lint error fails the lint job
  local log=$WORK/act-bad.log
  printf 'export const  badlyFormatted = 1\n' >"$WORK/pr/services/stats/src/bad-format.ts"
  git -C "$WORK/pr" add -A && git -C "$WORK/pr" commit -qm "a lint error" || return 1
  ! act_pr "$WORK/pr" "$(git -C "$WORK/pr" rev-parse HEAD~1)" "$(git -C "$WORK/pr" rev-parse HEAD)" "$log" -j lint ||
    { fail "act passed a pull request with a lint error"; return 1; }
  grep -q 'Job failed' "$log" || fail "no failed job in the log"
}

act_checks() {
  check "act $(act --version | awk '{print $3}'): the pull-request workflow passes for a stats-only change (matrix = [stats])" act_ok
  check "act: the lint job fails on a pull request with a formatting error" act_lint_fails
}
