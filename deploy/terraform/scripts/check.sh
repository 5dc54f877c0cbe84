#!/usr/bin/env bash
# check.sh CHECK [DIR...]: the static checks of deploy/terraform, each runnable alone (the CI tier
# reports them one by one) or all together (`check.sh all`, what the workflow runs).
#   fmt              tofu fmt -check over everything
#   validate [ROOT]  init without a backend + validate: every environment and the bootstrap
#   test [MODULE]    `tofu test` (mocked AWS provider) of every module, or the ones named
#   tflint           tflint --recursive with .tflint.hcl
#   checkov          checkov with .checkov.yaml (every skip there carries its reason)
#   docs             the modules' input/output tables are up to date (docs.py --check)
#   registry         fleet.json equals the service registry's output (needs Node 24; REPO_ROOT)
#   environments     the workflows present exactly the OIDC subjects environments.json makes the
#                    roles trust (environments.py, with its tests; REPO_ROOT/.github/workflows)
source "$(dirname "$0")/lib.sh"
cd "$TF_ROOT"

roots() { printf '%s\n' environments/dev environments/prod bootstrap; }
modules() { ls -d modules/*/ | sed 's#/$##'; }

init_offline() { # dir: providers and modules only, no backend
  tf -chdir="$1" init -no-color -backend=false >"$_TF_SCRATCH/init.log" 2>&1 ||
    { cat "$_TF_SCRATCH/init.log" >&2; die "init of $1 failed"; }
}

check_fmt() { tf fmt -no-color -check -diff -recursive .; }

init_and() { # validate|test default-list-function [dir...]
  local command=$1 defaults=$2 d dirs
  shift 2
  dirs=("$@")
  ((${#dirs[@]})) || mapfile -t dirs < <("$defaults")
  for d in "${dirs[@]}"; do
    init_offline "$d"
    tf -chdir="$d" "$command" -no-color
  done
}

check_validate() { init_and validate roots "$@"; }

check_test() { init_and test modules "$@"; }

check_tflint() { # each root and each module on its own (environments/shared is neither)
  command -v tflint >/dev/null || die "tflint not found on PATH"
  local d status=0
  for d in $(roots) $(modules); do
    tflint --chdir="$d" --config="$TF_ROOT/.tflint.hcl" --format=compact --no-color || status=1
  done
  return $status
}

check_checkov() {
  command -v checkov >/dev/null || die "checkov not found on PATH"
  checkov --config-file .checkov.yaml --directory .
}

check_docs() { python3 scripts/docs.py --check; }

check_registry() { # REPO_ROOT: the repository (default: the one this tree is in)
  local node=${NODE:-node} registry=${REPO_ROOT:-$TF_ROOT/../..}/scripts/registry.ts
  [[ -f "$registry" ]] || die "no service registry at $registry (set REPO_ROOT)"
  diff -u fleet.json <("$node" "$registry" json) ||
    die "fleet.json is stale: node scripts/registry.ts json > deploy/terraform/fleet.json"
}

check_environments() {
  local workflows=${REPO_ROOT:-$TF_ROOT/../..}/.github/workflows
  [[ -d "$workflows" ]] || die "no workflows at $workflows (set REPO_ROOT)"
  local out
  out=$(REPO_ROOT=${REPO_ROOT:-$TF_ROOT/../..} PYTHONDONTWRITEBYTECODE=1 python3 -m unittest discover -s scripts -p 'test_environments.py' 2>&1) ||
    { echo "$out" >&2; die "environments.py's own tests fail"; }
  echo "${out##*$'\n'Ran }" | head -n 1 | sed 's/^/environments.py tests: ran /'
  python3 scripts/environments.py --workflows "$workflows"
}

[[ $# -ge 1 ]] || die "usage: check.sh fmt|validate|test|tflint|checkov|docs|registry|environments|all [DIR...]"
what=$1
shift
case $what in
fmt | validate | test | tflint | checkov | docs | registry | environments) "check_$what" "$@" ;;
all) for c in fmt registry environments docs validate test tflint checkov; do
  echo "== $c"
  "check_$c"
done ;;
*) die "unknown check '$what'" ;;
esac
