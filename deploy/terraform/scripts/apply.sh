#!/usr/bin/env bash
# apply.sh ENV: apply the plan plan.sh wrote (PLAN_FILE, default environments/ENV/ENV.tfplan), so
# what is applied is exactly what was shown. The backend must already be initialised (plan.sh).
source "$(dirname "$0")/lib.sh"
[[ $# -eq 1 ]] || die "usage: apply.sh ENV"
dir=$(env_dir "$1")
plan=${PLAN_FILE:-$dir/$1.tfplan}
[[ -f "$plan" ]] || die "no plan at $plan: run plan.sh $1 first"
tf -chdir="$dir" apply -no-color -lock-timeout="${TF_LOCK_TIMEOUT:-120s}" -parallelism="${TF_PARALLELISM:-10}" "$plan"
