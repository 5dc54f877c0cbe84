# shellcheck shell=bash
# Tier terraform, e2e: environments/dev against moto with the S3 backend in the state bucket:
# plan + apply, AWS (not the state) and the outputs checked, a held lock blocks a plan, a second
# plan is empty, checkov's IAM checks on every rendered policy, destroy, state and AWS empty.

# moto 5.2.5 has no EKS access-entry or add-on API: an override file in CI's copy (not in the
# code) leaves them out of dev's apply; tofu test covers their logic, and prod's plan, made on a
# copy without it, includes them. (OpenTofu 1.11.5's -exclude and -target panic applying a plan
# whose module outputs have preconditions, so they cannot do this.)
moto_override() {
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
}

outputs_match() {
  tf_dev output -no-color -json platform >"$WORK/outputs.json" || return 1
  python3 ci/terraform/plan-facts.py dev-outputs "$WORK/outputs.json" deploy/terraform/fleet.json deploy/terraform/environments.json
}
state_has_all() { # every resource the plan created, and nothing else
  local planned managed
  planned=$(python3 ci/terraform/plan-facts.py creates "$WORK/plan1.json")
  managed=$(tf_dev state list -no-color | grep -vc -e '^data\.' -e '\.data\.')
  echo "planned $planned, in state $managed"
  ((planned > 0 && planned == managed)) || fail "state holds $managed resources, the plan created $planned"
}
lock_blocks() { # S3 native locking: a held lock file makes a second run wait, then give up
  state_bucket lock "$KEY" || return 1
  local rc=0
  TF_LOCK_TIMEOUT=2s "$S/plan.sh" dev >"$WORK/locked.log" 2>&1 && rc=1
  state_bucket unlock "$KEY"
  ((rc == 0)) || fail "plan ran although the state was locked"
  grep -q "held-by-ci" "$WORK/locked.log" || fail "plan failed, but not on the lock: $(tail -n 5 "$WORK/locked.log")"
}

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
second_plan_empty() {
  local known=() q
  for q in "${QUIRKS[@]}"; do known+=(--known "$q"); done
  "$S/plan.sh" dev >"$WORK/plan2.log" 2>&1 || { tail -n 20 "$WORK/plan2.log"; return 1; }
  TF_CLI_CONFIG_FILE=/dev/null tofu -chdir="$TFC/environments/dev" show -json "$PLAN_FILE" >"$WORK/plan2.json" &&
    python3 ci/terraform/plan-changes.py "${known[@]}" <"$WORK/plan2.json"
}

# IAM, statically (moto stores policies but never evaluates them): checkov's IAM checks (all of
# them, ci/terraform/iam-checks.py; skips only those of .checkov.yaml, each with its reason) on
# every policy as rendered: dev's after apply (the second plan: every value known).
iam_lint() { # plan.json
  (cd "$TFC" && checkov --config-file .checkov.yaml --framework terraform_plan --check "$IAM_CHECKS" -f "$1") >"$WORK/iam.log" 2>&1 ||
    { grep -E "Check:|FAILED" "$WORK/iam.log" | head -n 20; return 1; }
  grep -E "^Passed checks" "$WORK/iam.log"
  grep -q "^Passed checks: [1-9]" "$WORK/iam.log" || fail "checkov checked nothing"
}

state_empty() {
  local n
  n=$(tf_dev state list -no-color | grep -c . || true)
  ((n == 0)) || fail "$n objects left in state"
}

# scenario_dev: fails when the tier cannot go on (no plan or apply).
scenario_dev() {
  moto_override
  local t0=$SECONDS
  gate "plan dev (S3 backend in the moto bucket)" "$S/plan.sh" dev || return 1
  echo "        plan took $((SECONDS - t0)) s"
  TF_CLI_CONFIG_FILE=/dev/null tofu -chdir="$TFC/environments/dev" show -json "$PLAN_FILE" >"$WORK/plan1.json"
  t0=$SECONDS
  gate "apply dev" "$S/apply.sh" dev || { tail -n 30 "$WORK/moto.log"; return 1; }
  echo "        apply took $((SECONDS - t0)) s"

  check "AWS holds what dev promises (asked through the AWS API)" \
    "$MOTO_PY" ci/terraform/aws-facts.py applied "$ENDPOINT" deploy/terraform/fleet.json "$BUCKET" "$KEY"
  check "outputs: VPC, a repository per member, ECS services, EKS, ALB, GitHub roles (environments.json's)" outputs_match
  check "state holds every resource the plan created" state_has_all
  check "a held S3 lock file stops a concurrent plan" lock_blocks

  check "a second plan is empty (but for moto's quirks, each by name and attribute)" second_plan_empty
  check "negative control: without the excuses that plan is not empty" refuses python3 ci/terraform/plan-changes.py <"$WORK/plan2.json"

  IAM_CHECKS=$("$FLOTILLA_CACHE/venv-k8s/bin/python" ci/terraform/iam-checks.py)
  check "checkov's $(tr ',' '\n' <<<"$IAM_CHECKS" | wc -l) IAM checks pass on dev's rendered policies" iam_lint "$WORK/plan2.json"
  check "a copy of dev's plan whose role policies grant everything (ci/terraform/mutate.py)" \
    python3 ci/terraform/mutate.py grant-everything "$WORK/plan2.json" "$WORK/plan-admin.json"
  check "checkov's IAM checks reject a role policy granting everything" refuses iam_lint "$WORK/plan-admin.json"

  t0=$SECONDS
  check "destroy dev" env FLOTILLA_DESTROY=dev "$S/destroy.sh" dev
  echo "        destroy took $((SECONDS - t0)) s"
  check "state is empty after destroy" state_empty
  check "AWS holds nothing of dev any more" \
    "$MOTO_PY" ci/terraform/aws-facts.py destroyed "$ENDPOINT" deploy/terraform/fleet.json "$BUCKET" "$KEY"
  check "destroy.sh refuses without FLOTILLA_DESTROY=ENV" refuses "$S/destroy.sh" prod
}
