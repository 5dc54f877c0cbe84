# shellcheck shell=bash
# Tier terraform, e2e against moto (the local AWS API on loopback): moto itself, the state bucket
# made by deploy/terraform/bootstrap (versioned, KMS, private, TLS-only), the S3 backend's
# configuration for the environments, and the bucket's teardown at the end.

moto_up() { curl -sf -o /dev/null "$ENDPOINT/moto-api/"; }

# scenario_moto: moto on a free port, and the environment every later call reaches it with.
scenario_moto() {
  MOTO_PORT=$(free_port)
  ENDPOINT=http://127.0.0.1:$MOTO_PORT
  # Managed policies (AmazonEKSClusterPolicy, ...) exist only when moto is asked to load them.
  MOTO_IAM_LOAD_MANAGED_POLICIES=true "$FLOTILLA_CACHE/venv-moto/bin/moto_server" -H 127.0.0.1 -p "$MOTO_PORT" \
    >"$WORK/moto.log" 2>&1 &
  MOTO_PID=$!
  gate "moto server on $ENDPOINT" eventually 60 moto_up || { tail -n 20 "$WORK/moto.log"; return 1; }

  # Everything below reaches only moto: credentials are dummies, every endpoint is loopback.
  # One exception to plain endpoints: the provider reads an S3 bucket's tags through S3 Control at
  # ACCOUNT.HOST, a name no resolver knows for 127.0.0.1. Go sends such requests to HTTP_PROXY,
  # and moto answers a proxied request like a direct one; loopback addresses bypass the proxy, so
  # every other request goes to moto directly.
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=eu-west-1 AWS_ENDPOINT_URL=$ENDPOINT
  export HTTP_PROXY=$ENDPOINT NO_PROXY=127.0.0.1,localhost http_proxy= no_proxy=
  export AWS_EC2_METADATA_DISABLED=true AWS_ACCOUNT_ID=$MOTO_ACCOUNT GITHUB_REPOSITORY=flotilla-e2e/flotilla
  export EKS_ADMIN_PRINCIPAL_ARNS="[\"arn:aws:iam::$MOTO_ACCOUNT:role/flotilla-e2e-admin\"]"
  export TF_PARALLELISM=10
}

bootstrap() {
  tf_bootstrap init -no-color >/dev/null &&
    tf_bootstrap apply -no-color -auto-approve "${BOOT_VARS[@]}" &&
    TF_STATE_KMS_KEY_ARN=$(tf_bootstrap output -no-color -state="$WORK/bootstrap.tfstate" -raw kms_key_arn) &&
    echo "$TF_STATE_KMS_KEY_ARN" >"$WORK/kms"
}

# scenario_state_bucket: the bucket the environments keep their state in; fails when the tier
# cannot go on.
scenario_state_bucket() {
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
  gate "bootstrap: the state bucket (versioned, KMS, private)" bootstrap || return 1
  TF_STATE_KMS_KEY_ARN=$(cat "$WORK/kms")
  export TF_STATE_BUCKET=$BUCKET TF_STATE_KMS_KEY_ARN
  # moto enforces bucket policies: the state bucket's TLS-only statement refuses plain HTTP
  check "the state bucket refuses plain HTTP (its TLS-only policy, enforced by moto)" state_bucket refuses-plain-http
  # moto speaks plain HTTP only: lift that one statement in moto (not in the code) for the rest.
  gate "lift the TLS-only policy in moto for the plain-HTTP backend" state_bucket drop-policy || return 1
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
}

scenario_state_bucket_teardown() {
  check "empty the state bucket (delete markers first, around a moto bug)" state_bucket empty
  check "bootstrap destroy" tf_bootstrap destroy -no-color -auto-approve "${BOOT_VARS[@]}"
}
