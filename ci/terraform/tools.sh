# shellcheck shell=bash
# Tier terraform: the tools (tools/terraform.sh: OpenTofu, the slim AWS provider, tflint,
# checkov, moto...), a filesystem provider mirror, and the copy of deploy/terraform every phase
# works on, whose lock files keep their version pin but also accept the self-built provider.

# The provider mirror: the layout `tofu init` expects, for both registry host names.
provider_mirror() {
  local host d
  for host in registry.opentofu.org registry.terraform.io; do
    d=$TF_PROVIDER_MIRROR/$host/hashicorp/aws/$AWS_PROVIDER_VERSION/linux_amd64
    mkdir -p "$d"
    ln "$TOOLS_BIN/terraform-provider-aws" "$d/terraform-provider-aws_v$AWS_PROVIDER_VERSION" 2>/dev/null ||
      cp "$TOOLS_BIN/terraform-provider-aws" "$d/terraform-provider-aws_v$AWS_PROVIDER_VERSION"
  done
}

lock_pins_version() {
  local f
  for f in "$ROOT"/deploy/terraform/environments/{dev,prod}/.terraform.lock.hcl "$ROOT"/deploy/terraform/bootstrap/.terraform.lock.hcl; do
    [[ -f "$f" ]] || fail "$f is missing: the provider must be pinned by a committed lock file"
    grep -A1 'provider "registry.opentofu.org/hashicorp/aws"' "$f" | grep -q "version *= \"$AWS_PROVIDER_VERSION\"" ||
      fail "$f does not pin hashicorp/aws $AWS_PROVIDER_VERSION"
  done
}

# The copy keeps each lock file's version pin but drops its checksums: those of the registry's
# release (once committed) can never match a binary built here; init then records this build's.
drop_copy_checksums() {
  local f
  for f in "$TFC"/environments/{dev,prod}/.terraform.lock.hcl "$TFC"/bootstrap/.terraform.lock.hcl; do
    python3 ci/terraform/mutate.py drop-lock-hashes "$f" || return 1
    grep -q 'version *= ' "$f" || fail "$f lost its version pin"
  done
}

# scenario_tools: fails when the tier cannot go on.
scenario_tools() {
  gate "tools (tools/terraform.sh)" bash tools/terraform.sh || return 1
  pip_venv k8s tools/requirements/checkov.txt
  MOTO_PY=$FLOTILLA_CACHE/venv-moto/bin/python
  NODE=$ROOT/node_modules/.bin/node
  REPO_ROOT=$ROOT
  export NODE REPO_ROOT
  echo "$(TF_CLI_CONFIG_FILE=/dev/null tofu version | head -n1), $(tflint --version | head -n1), checkov $(checkov --version)," \
    "aws provider $AWS_PROVIDER_VERSION (slim; $(tools_built terraform-provider-aws)), $(tools_built tofu)"
  export TF_PROVIDER_MIRROR=$WORK/mirror
  provider_mirror
  # CI works on a copy: init writes .terraform/ and the lock files' checksums there.
  TFC=$WORK/terraform
  cp -a deploy/terraform "$TFC"
  S=$TFC/scripts
  check "committed lock files pin hashicorp/aws $AWS_PROVIDER_VERSION" lock_pins_version
  gate "the copy's lock files accept the self-built provider (version pinned, checksums recorded at init)" drop_copy_checksums ||
    return 1
  # Every init links providers from one cache instead of copying 140 MB into each .terraform/.
  export TF_PLUGIN_CACHE_DIR=$WORK/plugin-cache
  mkdir -p "$TF_PLUGIN_CACHE_DIR"
  cp -a "$TFC" "$WORK/pristine"
}
