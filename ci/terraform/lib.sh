# shellcheck shell=bash
# Helpers of tier terraform (sourced by ci/tier-terraform.sh after ci/lib/harness.sh): negative
# controls, throwaway copies of the Terraform tree, and the OpenTofu roots the scenarios run.

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

# The state bucket in moto (ci/terraform/state-bucket.py, with moto's boto3).
state_bucket() { "$MOTO_PY" "$ROOT/ci/terraform/state-bucket.py" "$1" "$ENDPOINT" "$BUCKET" "${@:2}"; }
tf_bootstrap() { # apply|destroy
  TF_DATA_DIR=$WORK/bootstrap-data TF_CLI_CONFIG_FILE=$WORK/bootstrap.tfrc tofu -chdir="$TFC/bootstrap" "$@"
}
tf_dev() { TF_CLI_CONFIG_FILE=/dev/null tofu -chdir="$TFC/environments/dev" "$@"; }
