# shellcheck shell=bash
# act (nektos/act) runs .github/workflows/pull-request.yml on this host (-P ubuntu-latest=-self-hosted:
# no container) as a hosted runner runs it: as the user `runner` (uid 1001, passwordless sudo, in
# the docker group; ci/pipelines/hosted-runner.sh), never as root, in a throwaway clone the runner
# owns, with a pull request that touches only services/stats. The
# third-party actions cannot be fetched from GitHub: --local-repository maps each pinned
# actions/<name>@<sha> to its stand-in in ci/pipelines/act/<name> (they say what they do not do).
# The CVE gate is switched off (--var SCAN_VULNERABILITIES=0): grype cannot download its database
# here, and switched on it fails (tier delivery proves that).
# Sourced by ci/tier-pipelines.sh after the harness and ci/pipelines/hosted-runner.sh; defines
# act_checks. RUNNER_WORK: a directory the runner owns (runner_dir).

# act_pr CLONE BASE HEAD LOG [act args...]: runs the workflow for a pull request BASE..HEAD.
# act_maps CLONE WORKFLOW: sets MAPS, act's --local-repository arguments for the workflow's actions.
act_maps() {
  local clone=$1 wf=$2 action sha
  MAPS=()
  while read -r action sha; do
    [[ -d "$clone/ci/pipelines/act/${action#actions/}" ]] || { echo "no stand-in for $action" >&2; return 1; }
    MAPS+=(--local-repository "$action@$sha=$clone/ci/pipelines/act/${action#actions/}")
  done < <(grep -oE 'uses: actions/[a-z-]+@[0-9a-f]{40}' "$clone/$wf" | sed 's/uses: //; s/@/ /' | sort -u)
}

act_pr() {
  local clone=$1 base=$2 head=$3 log=$4
  shift 4
  local wf=.github/workflows/pull-request.yml MAPS
  act_maps "$clone" "$wf" || return 1
  cat >"$RUNNER_WORK/act-event.json" <<JSON
{"pull_request": {"number": 1, "base": {"sha": "$base", "ref": "main"}, "head": {"sha": "$head", "ref": "feature"}},
 "repository": {"full_name": "flotilla/flotilla", "default_branch": "main"}}
JSON
  chown "$RUNNER_NAME:" "$RUNNER_WORK/act-event.json" || return 1
  (cd "$clone" && as_runner act pull_request -W "$wf" -e "$RUNNER_WORK/act-event.json" -P ubuntu-latest=-self-hosted \
    --action-cache-path "$RUNNER_WORK/act-cache" --action-offline-mode --var STANDIN_BASES=1 --var SCAN_VULNERABILITIES=0 \
    "${MAPS[@]}" "$@") >"$log" 2>&1
}

# act_clone DIR: a clone of this commit with one more commit that touches only services/stats.
act_clone() {
  local dir=$1
  git clone -q --no-local "$ROOT" "$dir" || return 1
  git -C "$dir" config user.email ci@flotilla.invalid && git -C "$dir" config user.name "tier pipelines"
  echo "// touched by tier pipelines (act)" >>"$dir/services/stats/src/main.ts"
  git -C "$dir" commit -qam "stats: a change for the act run" && chown -R "$RUNNER_NAME:" "$dir"
}

act_ok() {
  local log=$WORK/act.log base head
  act_clone "$RUNNER_WORK/pr" || { fail "cannot make the clone"; return 1; }
  base=$(as_runner git -C "$RUNNER_WORK/pr" rev-parse HEAD~1)
  head=$(as_runner git -C "$RUNNER_WORK/pr" rev-parse HEAD)
  act_pr "$RUNNER_WORK/pr" "$base" "$head" "$log" || { tail -n 40 "$log"; fail "act failed (log above)"; return 1; }
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
  local pr=$RUNNER_WORK/pr
  as_runner tee "$pr/services/stats/src/bad-format.ts" <<<'export const  badlyFormatted = 1' >/dev/null &&
    as_runner git -C "$pr" add -A && as_runner git -C "$pr" commit -qm "a lint error" || return 1
  ! act_pr "$pr" "$(as_runner git -C "$pr" rev-parse HEAD~1)" "$(as_runner git -C "$pr" rev-parse HEAD)" "$log" -j lint ||
    { fail "act passed a pull request with a lint error"; return 1; }
  grep -q 'Job failed' "$log" || fail "no failed job in the log"
}

# act_probe WORKFLOW LOG [root]: runs a push workflow of the clone (one of ci/pipelines/) as the
# runner, or as root (act's own default, the setup this tier had before) when asked.
act_probe() {
  local wf=$1 log=$2 who=${3:-runner} clone=$RUNNER_WORK/pr MAPS
  act_maps "$clone" "$wf" || return 1
  local args=(push -W "$wf" -P ubuntu-latest=-self-hosted --action-offline-mode "${MAPS[@]}")
  if [[ "$who" == root ]]; then
    (cd "$clone" && act "${args[@]}" --action-cache-path "$WORK/act-cache-root") >"$log" 2>&1
  else
    (cd "$clone" && as_runner act "${args[@]}" --action-cache-path "$RUNNER_WORK/act-cache") >"$log" 2>&1
  fi
}

act_hosted_runner() { # the job runs as runner (uid 1001) with passwordless sudo, docker, apt_need via sudo
  local log=$WORK/act-runner.log
  act_probe ci/pipelines/hosted-runner.yml "$log" || { tail -n 30 "$log"; fail "the hosted-runner workflow failed"; return 1; }
  grep -q "apt-get install hello (sudo)" "$log" || fail "apt_need did not install through sudo"
}

act_apt_without_sudo_fails() { # negative control: apt-get without sudo fails as on a hosted runner...
  local log=$WORK/act-apt.log
  ! act_probe ci/pipelines/negative/workflow-apt-without-sudo.yml "$log" || { fail "apt-get without sudo passed under act"; return 1; }
  grep -q "are you root" "$log" || { tail -n 20 "$log"; fail "it failed, but not for want of root"; }
}

act_apt_as_root_passes() { # ...and it is the user that makes the difference: act as root passes it
  local log=$WORK/act-apt-root.log
  act_probe ci/pipelines/negative/workflow-apt-without-sudo.yml "$log" root || { tail -n 20 "$log"; fail "failed even as root"; }
}

act_checks() {
  check "act $(act --version | awk '{print $3}'): the pull-request workflow passes for a stats-only change (matrix = [stats]), as the runner user" act_ok
  check "act: the lint job fails on a pull request with a formatting error" act_lint_fails
  check "act: a job runs as runner (uid 1001) with passwordless sudo and docker; apt_need installs through sudo" act_hosted_runner
  check "act: a step calling apt-get without sudo fails, as on a hosted runner" act_apt_without_sudo_fails
  check "act: the same step passes when act runs as root (what the runner user guards against)" act_apt_as_root_passes
}
