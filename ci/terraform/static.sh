# shellcheck shell=bash
# Tier terraform, static checks: fmt, fleet.json = the service registry, the workflows =
# environments.json's OIDC trust, generated docs, validate, tflint, checkov, actionlint and
# SHA-pinned actions, the slim provider's service list; and each with a negative control.

actions_pinned() { # every `uses:` of another repository names a full commit SHA
  local bad
  bad=$(grep -nE '^\s*-?\s*uses:' "$1" | grep -vE 'uses: \./|uses: [^@]+@[0-9a-f]{40}( |$)' || true)
  [[ -z "$bad" ]] || fail "not pinned to a commit SHA: $bad"
}
workflow_versions() { # the workflow installs what CI checks with
  local w=.github/workflows/terraform.yml
  grep -q "TOFU_VERSION: ${TOFU_VERSION#v}\$" $w || fail "$w: TOFU_VERSION is not ${TOFU_VERSION#v}"
  # tflint and terraform-config-inspect: pipeline/terraform tools reads tools/versions/terraform.sh
  grep -q "run: pipeline/terraform tools\$" $w || fail "$w: does not install its tools with pipeline/terraform tools"
}
provider_services() { # the slim provider's service list is derived from the code: an unknown type fails
  local src
  # the module's folder in the module cache (its path has no upper case, which the cache would escape)
  GOFLAGS=-mod=mod GOTOOLCHAIN=local go mod download "$AWS_PROVIDER_MODULE@$AWS_PROVIDER_PSEUDO" || return 1
  src=$(go env GOMODCACHE)/$AWS_PROVIDER_MODULE@$AWS_PROVIDER_PSEUDO
  python3 tools/aws-provider-services.py "$src" "$1"
}

scenario_static() {
  check "tofu fmt -check" "$S/check.sh" fmt
  check "fleet.json is the service registry's output" "$S/check.sh" registry
  check "the workflows present exactly the OIDC subjects environments.json trusts (environments.py and its tests)" \
    "$S/check.sh" environments
  check "module READMEs' input/output tables are up to date" "$S/check.sh" docs
  local root
  for root in environments/dev environments/prod bootstrap; do
    check "tofu validate $root" "$S/check.sh" validate "$root"
  done
  check "tflint (every rule of the terraform ruleset)" "$S/check.sh" tflint
  check "checkov (skips justified in .checkov.yaml)" "$S/check.sh" checkov
  check "actionlint .github/workflows/terraform.yml" actionlint .github/workflows/terraform.yml
  check "workflow actions pinned to commit SHAs" actions_pinned .github/workflows/terraform.yml
  check "the workflow names the tool versions CI uses (tools/versions/terraform.sh)" workflow_versions
}

# Negative controls: each static check fails on the bad case.
scenario_static_controls() {
  local m
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
}
