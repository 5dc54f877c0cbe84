#!/usr/bin/env bash
# destroy.sh ENV: destroy everything of the environment. Refused unless FLOTILLA_DESTROY=ENV, so
# no one tears down an environment by a slip of the argument.
source "$(dirname "$0")/lib.sh"
[[ $# -eq 1 ]] || die "usage: destroy.sh ENV"
dir=$(env_dir "$1")
[[ "${FLOTILLA_DESTROY:-}" == "$1" ]] || die "refusing to destroy $1: set FLOTILLA_DESTROY=$1 to confirm"
export_deployment_vars
init_backend "$dir"
tf -chdir="$dir" destroy -no-color -auto-approve -lock-timeout="${TF_LOCK_TIMEOUT:-120s}" -parallelism="${TF_PARALLELISM:-10}"
