#!/usr/bin/env bash
# Tools of tier terraform, once per machine (tools/lib/tools.sh): OpenTofu, a slim AWS provider,
# tflint, terraform-config-inspect (the modules' input/output tables), actionlint, and checkov and
# moto in pinned venvs. Everything comes from the Go module proxy and PyPI; no Terraform registry.
# pipeline/terraform (the GitHub workflow's install step) sources this file (after
# tools/lib/tools.sh) for install_lint_tools: one spec for the linters CI and the workflow run.

# shellcheck source=tools/versions/terraform.sh
source "$(dirname "${BASH_SOURCE[0]}")/versions/terraform.sh"

install_lint_tools() { # tflint, terraform-config-inspect and checkov's pinned venv
  go_tool tflint github.com/terraform-linters/tflint "$TFLINT_VERSION" -ldflags "-s -w"
  go_tool terraform-config-inspect github.com/hashicorp/terraform-config-inspect "$CONFIG_INSPECT_VERSION" -ldflags "-s -w"
  # checkov: the repository's one pinned set (tier k8s uses the same venv).
  pip_venv k8s tools/requirements/checkov.txt
}

[[ "${BASH_SOURCE[0]}" == "$0" ]] || return 0
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/lib/tools.sh

# `go install` refuses OpenTofu (its go.mod has replace directives).
go_module_build tofu github.com/opentofu/opentofu "$TOFU_VERSION" ./cmd/tofu \
  -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no"
install_lint_tools
go_tool actionlint github.com/rhysd/actionlint/cmd/actionlint "$ACTIONLINT_VERSION"

# The AWS provider with only the service packages deploy/terraform uses: the list is derived
# from the code, and is part of the cache key with the version.
provider_src=$(GOFLAGS=-mod=mod GOTOOLCHAIN=local go mod download -json "$AWS_PROVIDER_MODULE@$AWS_PROVIDER_PSEUDO" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
services=$(python3 tools/aws-provider-services.py "$provider_src" deploy/terraform)
GO_MODULE_PREPARE="python3 \"\$FLOTILLA_REPO/tools/slim-aws-provider.py\" $services" \
  go_module_build terraform-provider-aws "$AWS_PROVIDER_MODULE" "$AWS_PROVIDER_PSEUDO" . \
  -ldflags "-s -w -X $AWS_PROVIDER_MODULE/version.ProviderVersion=$AWS_PROVIDER_VERSION"

pip_venv moto tools/requirements/moto.txt
pip_venv terraform tools/requirements/terraform.txt
