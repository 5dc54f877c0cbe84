#!/usr/bin/env bash
# Tools of tier terraform, once per machine (ci/lib/tools.sh): OpenTofu, a slim AWS provider,
# tflint, terraform-config-inspect (the modules' input/output tables), actionlint, and checkov and
# moto in pinned venvs. Everything comes from the Go module proxy and PyPI; no Terraform registry.
set -euo pipefail
cd "$(dirname "$0")/../.."
source ci/lib/tools.sh

TOFU_VERSION=v1.11.5
TFLINT_VERSION=v0.64.0
ACTIONLINT_VERSION=v1.7.12
CONFIG_INSPECT_VERSION=v0.0.0-20260904064934-75d64de68c31 # no tags: a commit of main
# The provider's v6 tags are not valid Go module versions (its module path lacks /v6), so the
# proxy serves commits only: 5f2286d6d836 is main just before the 6.48.0 release, labelled so.
AWS_PROVIDER_MODULE=github.com/hashicorp/terraform-provider-aws
AWS_PROVIDER_PSEUDO=v1.60.1-0.20260602190131-5f2286d6d836
AWS_PROVIDER_VERSION=6.48.0

# `go install` refuses OpenTofu (its go.mod has replace directives).
go_module_build tofu github.com/opentofu/opentofu "$TOFU_VERSION" ./cmd/tofu \
  -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no"
go_tool tflint github.com/terraform-linters/tflint "$TFLINT_VERSION" -ldflags "-s -w"
go_tool terraform-config-inspect github.com/hashicorp/terraform-config-inspect "$CONFIG_INSPECT_VERSION" -ldflags "-s -w"
go_tool actionlint github.com/rhysd/actionlint/cmd/actionlint "$ACTIONLINT_VERSION"

# The AWS provider with only the service packages deploy/terraform uses: the list is derived
# from the code, and is part of the cache key with the version.
provider_src=$(GOFLAGS=-mod=mod GOTOOLCHAIN=local go mod download -json "$AWS_PROVIDER_MODULE@$AWS_PROVIDER_PSEUDO" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
services=$(python3 ci/terraform/aws-provider-services.py "$provider_src" deploy/terraform)
GO_MODULE_PREPARE="python3 \"\$FLOTILLA_REPO/ci/terraform/slim-aws-provider.py\" $services" \
  go_module_build terraform-provider-aws "$AWS_PROVIDER_MODULE" "$AWS_PROVIDER_PSEUDO" . \
  -ldflags "-s -w -X $AWS_PROVIDER_MODULE/version.ProviderVersion=$AWS_PROVIDER_VERSION"

pip_venv checkov ci/terraform/requirements-checkov.txt
pip_venv moto ci/terraform/requirements-moto.txt
pip_venv terraform ci/terraform/requirements-terraform.txt
