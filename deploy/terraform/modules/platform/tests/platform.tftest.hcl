# The composition, fed by the real service registry (fleet.json).
# The AWS provider mocked (OpenTofu has no shared mock files): what AWS would compute is
# random, except values the provider validates when they are passed on (ARNs, URLs).
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }

  mock_data "aws_region" {
    defaults = {
      region = "eu-west-1"
    }
  }

  mock_data "aws_availability_zones" {
    defaults = {
      names = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    }
  }

  mock_data "aws_vpc" {
    defaults = {
      cidr_block = "10.10.0.0/16"
    }
  }

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

  mock_resource "aws_kms_key" {
    defaults = {
      arn    = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000"
      key_id = "00000000-0000-0000-0000-000000000000"
    }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:mock"
    }
  }

  mock_resource "aws_s3_bucket" {
    defaults = {
      arn = "arn:aws:s3:::mock"
    }
  }

  mock_resource "aws_ecr_repository" {
    defaults = {
      arn            = "arn:aws:ecr:eu-west-1:123456789012:repository/mock"
      repository_url = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/mock"
    }
  }

  mock_resource "aws_eks_cluster" {
    defaults = {
      arn = "arn:aws:eks:eu-west-1:123456789012:cluster/mock"
      identity = [{
        oidc = [{ issuer = "https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF" }]
      }]
    }
  }

  mock_resource "aws_ecs_cluster" {
    defaults = {
      arn = "arn:aws:ecs:eu-west-1:123456789012:cluster/mock"
    }
  }

  mock_resource "aws_ecs_task_definition" {
    defaults = {
      arn = "arn:aws:ecs:eu-west-1:123456789012:task-definition/mock:1"
    }
  }

  mock_resource "aws_lb" {
    defaults = {
      arn      = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/mock/0123456789abcdef"
      dns_name = "mock-123456.eu-west-1.elb.amazonaws.com"
    }
  }

  mock_resource "aws_lb_listener" {
    defaults = {
      arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/mock/0123456789abcdef/0123456789abcdef"
    }
  }

  mock_resource "aws_lb_target_group" {
    defaults = {
      arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/mock/0123456789abcdef"
    }
  }

  mock_resource "aws_launch_template" {
    defaults = {
      id             = "lt-0123456789abcdef0"
      latest_version = 1
    }
  }
}

variables {
  name              = "flotilla-test"
  environment       = "dev"
  github_repository = "flotilla-org/flotilla"
  state_bucket      = "flotilla-tfstate-test"
  state_key_prefix  = "flotilla/dev/"
  state_kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  eks               = { admin_principal_arns = ["arn:aws:iam::123456789012:role/platform-admin"] }
}

run "the_fleet_comes_from_the_registry" {
  command = apply

  assert {
    condition     = toset(keys(module.ecr.repository_urls)) == toset([for m in jsondecode(file("../../fleet.json")) : "flotilla/${m.name}"])
    error_message = "one ECR repository per registry member"
  }
  assert {
    condition     = output.ecs_skipped == tolist([for m in jsondecode(file("../../fleet.json")) : m.name if m.protocol == "grpc"])
    error_message = "without a certificate, gRPC members are kept off ECS (and said so)"
  }
  assert {
    condition     = toset(keys(module.service)) == toset([for m in jsondecode(file("../../fleet.json")) : m.name if m.protocol == "http"])
    error_message = "every HTTP member runs on ECS"
  }
  assert {
    condition     = output.ecs_services["hello"].port == [for m in jsondecode(file("../../fleet.json")) : m.port if m.name == "hello"][0]
    error_message = "ports come from the registry"
  }
  assert {
    condition     = output.ecs_services["web"].port == 8080 && jsonencode(output.ecs_services["web"].path_patterns) == jsonencode(["/*"])
    error_message = "web: nginx's port in its image, and the catch-all route"
  }
}

run "catch_all_rule_comes_last" {
  command = apply

  assert {
    condition     = output.ecs_services["web"].priority > max([for name, s in output.ecs_services : s.priority if name != "web"]...)
    error_message = "the catch-all (/*) must be evaluated after every specific path"
  }
}

run "grpc_members_on_ecs_with_https" {
  command = apply
  variables {
    certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
  }

  assert {
    condition     = length(output.ecs_skipped) == 0 && contains(keys(module.service), "routeguide")
    error_message = "with HTTPS every member runs on ECS"
  }
}

# The OIDC trust, read from the rendered policy JSON: exactly the roles and subjects environments.json
# gives the environment, for this repository and STS only (scripts/environments.py checks the
# workflows against the same declaration).
run "github_trust_is_the_declaration_dev" {
  command = apply

  assert {
    condition     = toset(keys(module.github_oidc.role_arns)) == toset([for r in jsondecode(file("../../environments.json")).environments.dev.roles : "flotilla-test-github-${r}"])
    error_message = "dev has the roles environments.json declares for it"
  }
  assert {
    condition     = jsondecode(module.github_oidc.role_trust_policies["flotilla-test-github-plan"]).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] == ["repo:flotilla-org/flotilla:pull_request"]
    error_message = "plan: this repository's pull requests only"
  }
  assert {
    condition     = jsondecode(module.github_oidc.role_trust_policies["flotilla-test-github-apply"]).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] == ["repo:flotilla-org/flotilla:environment:dev"]
    error_message = "apply: this repository's dev environment only"
  }
  assert {
    condition = alltrue([for p in values(module.github_oidc.role_trust_policies) :
      jsondecode(p).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com" &&
      jsondecode(p).Statement[0].Action == "sts:AssumeRoleWithWebIdentity" &&
      length(jsondecode(p).Statement) == 1 && keys(jsondecode(p).Statement[0].Condition) == ["StringEquals"]
    ])
    error_message = "every role: one statement, web identity for STS, exact matches only (no StringLike)"
  }
  assert {
    condition     = jsondecode(module.github_oidc.role_trust_policies["flotilla-test-github-deploy"]).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] == ["repo:flotilla-org/flotilla:environment:dev"]
    error_message = "deploy: this repository's dev environment only (main's delivery, main.yml)"
  }
  assert {
    condition     = jsonencode(module.eks[0].access_entry_namespaces) == jsonencode({ deploy = [jsondecode(file("../../environments.json")).environments.dev.namespace] })
    error_message = "dev's deploy role edits dev's fleet namespace only"
  }
}

run "github_trust_is_the_declaration_prod" {
  command = apply
  variables {
    environment = "prod"
  }

  assert {
    condition     = toset(keys(module.github_oidc.role_arns)) == toset([for r in jsondecode(file("../../environments.json")).environments.prod.roles : "flotilla-test-github-${r}"])
    error_message = "prod has the roles environments.json declares for it"
  }
  assert {
    condition     = jsondecode(module.github_oidc.role_trust_policies["flotilla-test-github-deploy"]).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] == ["repo:flotilla-org/flotilla:environment:prod"]
    error_message = "deploy: this repository's prod environment only (not a branch, not production)"
  }
  assert {
    condition     = module.eks[0].access_entry_principals.editors == { deploy = module.github_oidc.role_arns["flotilla-test-github-deploy"] }
    error_message = "the deploy role, and only it, edits the cluster's fleet namespace"
  }
  assert {
    condition     = jsonencode(module.eks[0].access_entry_namespaces) == jsonencode({ deploy = [jsondecode(file("../../environments.json")).environments.prod.namespace] })
    error_message = "the deploy role edits the namespace environments.json gives prod (deploy/flux/infrastructure/prod's)"
  }
}

run "rejects_an_undeclared_environment" {
  command = plan
  variables {
    environment = "production"
  }
  expect_failures = [output.github_role_arns]
}

run "rejects_settings_for_an_unknown_service" {
  command = plan
  variables {
    services = { nosuch = { desired_count = 1 } }
  }
  expect_failures = [output.ecs_services]
}

run "rejects_plain_http_where_https_is_required" {
  command = plan
  variables {
    require_https = true
  }
  expect_failures = [output.ecs_services]
}
