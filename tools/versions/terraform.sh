# shellcheck shell=bash
# The versions of tier terraform's tools, in one place: tools/terraform.sh builds them, the
# tier reports and checks them, and .github/workflows/terraform.yml must name the same (checked).
TOFU_VERSION=v1.11.5
TFLINT_VERSION=v0.64.0
ACTIONLINT_VERSION=v1.7.12
CONFIG_INSPECT_VERSION=v0.0.0-20260904064934-75d64de68c31 # no tags: a commit of main
# The provider's v6 tags are not valid Go module versions (its module path lacks /v6), so the
# proxy serves commits only: 5f2286d6d836 is main just before the 6.48.0 release, labelled so.
AWS_PROVIDER_MODULE=github.com/hashicorp/terraform-provider-aws
AWS_PROVIDER_PSEUDO=v1.60.1-0.20260602190131-5f2286d6d836
AWS_PROVIDER_VERSION=6.48.0
