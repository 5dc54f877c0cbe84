# shellcheck shell=bash
# Tier terraform, e2e: prod is planned too (3 AZs, a NAT per AZ, HTTPS with gRPC on ECS, EKS
# add-ons and access entries), against the same API, on the pristine copy (no moto override); it
# needs a certificate, so a plan without one must be refused. And the network module alone with a
# NAT per AZ, applied: which NAT a route uses cannot be told apart with mocked IDs, so its routes
# are read back from the API.

PROD_CERT=arn:aws:acm:eu-west-1:$MOTO_ACCOUNT:certificate/00000000-0000-0000-0000-000000000000
plan_prod() {
  TF_DATA_DIR=$WORK/prod-data PLAN_FILE=$WORK/prod.tfplan CERTIFICATE_ARN=$PROD_CERT "$WORK/pristine/scripts/plan.sh" prod >"$WORK/prod.log" 2>&1 ||
    { tail -n 20 "$WORK/prod.log"; return 1; }
  TF_CLI_CONFIG_FILE=/dev/null TF_DATA_DIR=$WORK/prod-data tofu -chdir="$WORK/pristine/environments/prod" show -json "$WORK/prod.tfplan" >"$WORK/prod-plan.json" &&
    python3 ci/terraform/plan-facts.py prod-plan "$WORK/prod-plan.json"
}

scenario_prod() {
  check "plan prod against the same API (3 NATs, HTTPS, gRPC on ECS, EKS add-ons and access entries)" plan_prod
  check "checkov's IAM checks pass on prod's planned policies (those known before apply)" iam_lint "$WORK/prod-plan.json"
  check "prod refuses to plan without a certificate" refuses env TF_DATA_DIR="$WORK/prod-data" PLAN_FILE="$WORK/prod-nocert.tfplan" "$S/plan.sh" prod
}

nat_root() { TF_DATA_DIR=$WORK/nat-data TF_CLI_CONFIG_FILE=$WORK/bootstrap.tfrc tofu -chdir="$TFC/tests/nat-per-az" "$@"; }
nat_per_az() {
  nat_root init -no-color >/dev/null &&
    nat_root apply -no-color -auto-approve -state="$WORK/nat.tfstate" >"$WORK/nat-apply.log" 2>&1 || { tail -n 20 "$WORK/nat-apply.log"; return 1; }
  "$MOTO_PY" ci/terraform/aws-facts.py nat-per-az "$ENDPOINT" "$(nat_root output -no-color -state="$WORK/nat.tfstate" -raw vpc_id)" 3
}

scenario_nat_per_az() {
  check "network with a NAT per AZ: each private subnet egresses through its own AZ's NAT (read from the API)" nat_per_az
  check "network with a NAT per AZ: destroy" nat_root destroy -no-color -auto-approve -state="$WORK/nat.tfstate"
}
