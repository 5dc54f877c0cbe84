# The AWS provider mocked (OpenTofu has no shared mock files): what AWS would compute is
# random, except values the provider validates when they are passed on (ARNs, URLs).
mock_provider "aws" {
  mock_resource "aws_iam_openid_connect_provider" {
    defaults = {
      arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    }
  }

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/mock"
    }
  }
}

variables {
  repository = "flotilla-org/flotilla"
  roles = {
    deploy = {
      subjects            = ["ref:refs/heads/main", "environment:prod"]
      managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
    }
  }
}

run "trust_limited_to_the_repository_and_subjects" {
  command = apply

  assert {
    condition     = aws_iam_openid_connect_provider.github[0].url == "https://token.actions.githubusercontent.com" && toset(aws_iam_openid_connect_provider.github[0].client_id_list) == toset(["sts.amazonaws.com"])
    error_message = "the provider is GitHub's issuer, for STS"
  }
  assert {
    condition     = jsondecode(aws_iam_role.this["deploy"].assume_role_policy).Statement[0].Action == "sts:AssumeRoleWithWebIdentity"
    error_message = "only web-identity assumption"
  }
  assert {
    condition     = jsondecode(aws_iam_role.this["deploy"].assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"
    error_message = "the token's audience must be STS"
  }
  assert {
    condition = jsondecode(aws_iam_role.this["deploy"].assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] == [
      "repo:flotilla-org/flotilla:ref:refs/heads/main",
      "repo:flotilla-org/flotilla:environment:prod",
    ]
    error_message = "the subject must be exactly this repository's main branch or prod environment"
  }
  assert {
    condition     = !can(jsondecode(aws_iam_role.this["deploy"].assume_role_policy).Statement[0].Condition.StringLike)
    error_message = "no wildcard (StringLike) subject match"
  }
  assert {
    condition     = aws_iam_role.this["deploy"].max_session_duration == 3600
    error_message = "sessions last an hour"
  }
  assert {
    condition     = length(aws_iam_role_policy_attachment.this) == 1 && length(aws_iam_role_policy.this) == 0
    error_message = "exactly the listed policies"
  }
}

run "uses_an_existing_provider" {
  command = apply
  variables {
    create_provider = false
  }

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 0 && output.provider_arn == data.aws_iam_openid_connect_provider.github[0].arn
    error_message = "create_provider = false looks the account's provider up instead"
  }
}

run "rejects_a_wildcard_subject" {
  command = plan
  variables {
    roles = { any = { subjects = ["ref:refs/heads/*"] } }
  }
  expect_failures = [var.roles]
}

run "rejects_a_repository_pattern" {
  command = plan
  variables {
    repository = "flotilla-org/*"
  }
  expect_failures = [var.repository]
}
