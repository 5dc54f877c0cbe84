#!/usr/bin/env bash
# Tier terraform: deploy/terraform checked offline and applied against a local AWS API.
#   tools    tools/terraform.sh (OpenTofu, the slim AWS provider, tflint, checkov, moto...), a
#            filesystem provider mirror, a copy of deploy/terraform whose lock files also accept
#            the self-built provider (ci/terraform/tools.sh)
#   static   fmt, fleet.json = the service registry, the workflows = environments.json's OIDC
#            trust, generated docs, validate, tflint, checkov, actionlint and SHA-pinned actions,
#            each with a negative control (static.sh)
#   unit     `tofu test` of every module (mocked provider), and for each key assertion a mutated
#            module its suite must reject; Terraform's validate and test too (unit.sh)
#   e2e      moto on loopback: bootstrap the state bucket (state.sh), init dev with the S3 backend,
#            plan + apply, check AWS (not the state) and the outputs, checkov's IAM checks on every
#            rendered policy, a held lock blocks a plan, a second plan is empty, destroy, state
#            empty (dev.sh); prod's plan and a NAT per AZ (prod.sh)
# .github/workflows/terraform.yml runs pipeline/terraform, a dispatcher to the scripts under
# deploy/terraform/scripts that these phases run (on a copy of deploy/terraform).
# Prints the phase timeline and `tier terraform: N passed, M failed` (tier_end, ci/lib/harness.sh).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
source ci/lib/harness.sh
source tools/lib/tools.sh
source tools/versions/terraform.sh
MOTO_ACCOUNT=123456789012 # moto's fixed account
BUCKET=flotilla-tfstate-e2e
KEY=flotilla/dev/terraform.tfstate
for f in lib tools static unit state dev prod; do
  # shellcheck source=/dev/null
  source "ci/terraform/$f.sh"
done

WORK=$(mktemp -d /tmp/flotilla-terraform.XXXXXX)
MOTO_PID=""
cleanup() {
  if [[ -n "$MOTO_PID" ]]; then kill "$MOTO_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 143' INT TERM

tier_begin terraform

phase tools
scenario_tools || { tier_end; exit 1; }

phase static
scenario_static
phase "static: negative controls"
scenario_static_controls

phase "unit: tofu test, mutated modules"
scenario_unit
phase "unit: Terraform"
scenario_terraform_cli

phase "e2e: moto, the state bucket"
scenario_moto || { tier_end; exit 1; }
scenario_state_bucket || { tier_end; exit 1; }
phase "e2e: dev (plan, apply, lock, idempotency, IAM, destroy)"
scenario_dev || { tier_end; exit 1; }
phase "e2e: prod's plan"
scenario_prod
phase "e2e: a NAT per AZ"
scenario_nat_per_az
phase "e2e: the state bucket's teardown"
scenario_state_bucket_teardown

tier_end
