# shellcheck shell=bash
# Shared by the Terraform scripts (CI tier `terraform` and .github/workflows/terraform.yml).
# Source it. Environment it reads:
#   TF                    the CLI (default: tofu; terraform works the same)
#   TF_PROVIDER_MIRROR    a filesystem provider mirror: when set, providers come only from it (offline)
#   TF_STATE_BUCKET       the state bucket (bootstrap output); AWS_REGION its region
#   TF_STATE_KMS_KEY_ARN  the state's KMS key (bootstrap output)
#   AWS_ACCOUNT_ID, GITHUB_REPOSITORY  the account the environment must be in, the repository
#   EKS_ADMIN_PRINCIPAL_ARNS  JSON list of the IAM roles/users that administer the EKS cluster
#   CERTIFICATE_ARN       the ALB's ACM certificate (optional; prod refuses to plan without one)
#   TF_BACKEND_CONFIG     an extra backend config file (e.g. a local AWS API's endpoints)
#   TF_LOCK_TIMEOUT       how long to wait for the state lock (default 120s)
set -euo pipefail
TF_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TF=${TF:-tofu}
export TF_IN_AUTOMATION=1 TF_INPUT=0

die() {
  echo "terraform: $*" >&2
  exit 1
}

# tf ARGS...: the CLI, looked up when first needed (check.sh registry and docs run without it)
tf() {
  command -v "$TF" >/dev/null || die "$TF not found on PATH"
  "$TF" "$@"
}

# Always our own CLI configuration: the one a machine presets may not exist, or may point at a
# registry we must not reach. With a mirror, no `direct` block: init never contacts a registry.
_TF_SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/flotilla-tf.XXXXXX")
trap 'rm -rf "$_TF_SCRATCH"' EXIT
export TF_CLI_CONFIG_FILE=$_TF_SCRATCH/cli.tfrc
if [[ -n "${TF_PROVIDER_MIRROR:-}" ]]; then
  [[ -d "$TF_PROVIDER_MIRROR" ]] || die "TF_PROVIDER_MIRROR=$TF_PROVIDER_MIRROR is not a directory"
  cat >"$TF_CLI_CONFIG_FILE" <<CFG
provider_installation {
  filesystem_mirror {
    path    = "$TF_PROVIDER_MIRROR"
    include = ["registry.opentofu.org/*/*", "registry.terraform.io/*/*"]
  }
}
CFG
else
  : >"$TF_CLI_CONFIG_FILE"
fi

# env_dir NAME: the root module of an environment.
env_dir() {
  local dir=$TF_ROOT/environments/$1
  [[ -n "$1" && -f "$dir/main.tf" && "$1" != shared ]] ||
    die "no environment '$1' (have: $(cd "$TF_ROOT/environments" && ls -d -- */ | tr -d / | grep -vx shared | tr '\n' ' '))"
  echo "$dir"
}

# init_backend DIR: init an environment with its S3 backend.
init_backend() {
  local dir=$1 args=()
  [[ -n "${TF_STATE_BUCKET:-}" ]] || die "TF_STATE_BUCKET is not set (the bootstrap's bucket output)"
  [[ -n "${AWS_REGION:-}" ]] || die "AWS_REGION is not set"
  args+=(-backend-config="bucket=$TF_STATE_BUCKET" -backend-config="region=$AWS_REGION")
  [[ -z "${TF_STATE_KMS_KEY_ARN:-}" ]] || args+=(-backend-config="kms_key_id=$TF_STATE_KMS_KEY_ARN")
  [[ -z "${TF_BACKEND_CONFIG:-}" ]] || args+=(-backend-config="$TF_BACKEND_CONFIG")
  tf -chdir="$dir" init -no-color -reconfigure "${args[@]}" >"$_TF_SCRATCH/init.log" 2>&1 ||
    { cat "$_TF_SCRATCH/init.log" >&2; die "init of $dir failed"; }
}

# The deployment-specific inputs come from the environment (repository variables in the workflow).
export_deployment_vars() {
  [[ -n "${AWS_ACCOUNT_ID:-}" ]] || die "AWS_ACCOUNT_ID is not set (the account this environment lives in)"
  [[ -n "${GITHUB_REPOSITORY:-}" ]] || die "GITHUB_REPOSITORY is not set (owner/name)"
  export TF_VAR_allowed_account_ids="[\"$AWS_ACCOUNT_ID\"]"
  export TF_VAR_github_repository=$GITHUB_REPOSITORY
  [[ -n "${EKS_ADMIN_PRINCIPAL_ARNS:-}" ]] ||
    die "EKS_ADMIN_PRINCIPAL_ARNS is not set (a JSON list of the IAM roles/users that administer the EKS cluster)"
  export TF_VAR_eks_admin_principal_arns=$EKS_ADMIN_PRINCIPAL_ARNS
  export TF_VAR_region=$AWS_REGION
  export TF_VAR_state_bucket=$TF_STATE_BUCKET
  [[ -n "${TF_STATE_KMS_KEY_ARN:-}" ]] || die "TF_STATE_KMS_KEY_ARN is not set (the bootstrap's kms_key_arn output)"
  export TF_VAR_state_kms_key_arn=$TF_STATE_KMS_KEY_ARN
  # An empty value would mean "a certificate named ''": leave the input unset (null) instead.
  if [[ -n "${CERTIFICATE_ARN:-}" ]]; then export TF_VAR_certificate_arn=$CERTIFICATE_ARN; fi
}
