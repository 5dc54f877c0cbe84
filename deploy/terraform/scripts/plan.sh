#!/usr/bin/env bash
# plan.sh ENV: init the environment with its S3 backend and write a plan to PLAN_FILE (default
# environments/ENV/ENV.tfplan). Prints the plan; in GitHub Actions also posts it to the job
# summary and sets the step output `changes` (true/false).
source "$(dirname "$0")/lib.sh"
[[ $# -eq 1 ]] || die "usage: plan.sh ENV"
dir=$(env_dir "$1")
plan=${PLAN_FILE:-$dir/$1.tfplan}
export_deployment_vars
init_backend "$dir"

rc=0
tf -chdir="$dir" plan -no-color -lock-timeout="${TF_LOCK_TIMEOUT:-120s}" -detailed-exitcode -out="$plan" >"$_TF_SCRATCH/plan.log" 2>&1 || rc=$?
cat "$_TF_SCRATCH/plan.log"
((rc == 0 || rc == 2)) || die "plan of $1 failed"
changes=$([[ $rc == 2 ]] && echo true || echo false)

if [[ -n "${GITHUB_OUTPUT:-}" ]]; then echo "changes=$changes" >>"$GITHUB_OUTPUT"; fi
if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
  summary=$(grep -E '^(Plan:|No changes\.|Changes to Outputs:)' "$_TF_SCRATCH/plan.log" | head -n 3 || true)
  {
    echo "### \`$1\`: ${summary:-see the log}"
    echo
    echo "<details><summary>plan</summary>"
    echo
    echo '```'
    tf -chdir="$dir" show -no-color "$plan" | head -c 60000
    echo '```'
    echo "</details>"
  } >>"$GITHUB_STEP_SUMMARY"
fi
echo "plan: $1 has changes: $changes ($plan)"
