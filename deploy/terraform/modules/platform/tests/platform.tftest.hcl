# The composition, fed by the real service registry (fleet.json).
mock_provider "aws" {
  source = "../../tests/mocks"
}

variables {
  name              = "flotilla-test"
  environment       = "dev"
  github_repository = "flotilla-org/flotilla"
  state_bucket      = "flotilla-tfstate-test"
  state_key_prefix  = "flotilla/dev/"
  state_kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000"
}

run "the_fleet_comes_from_the_registry" {
  command = apply

  assert {
    condition     = toset(keys(module.ecr.repository_urls)) == toset([for m in jsondecode(file("../../fleet.json")) : "flotilla/${m.name}"])
    error_message = "one ECR repository per registry member"
  }
  assert {
    condition     = output.ecs_skipped == [for m in jsondecode(file("../../fleet.json")) : m.name if m.protocol == "grpc"]
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
    condition     = output.ecs_services["web"].port == 8080 && output.ecs_services["web"].path_patterns == ["/*"]
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
    condition     = output.ecs_skipped == [] && contains(keys(module.service), "routeguide")
    error_message = "with HTTPS every member runs on ECS"
  }
}

run "github_roles_bound_to_subjects" {
  command = apply

  assert {
    condition     = sort(keys(module.github_oidc.role_arns)) == ["flotilla-test-github-apply", "flotilla-test-github-deploy", "flotilla-test-github-plan"]
    error_message = "plan, apply and deploy roles"
  }
}

run "rejects_settings_for_an_unknown_service" {
  command = plan
  variables {
    services = { nosuch = { desired_count = 1 } }
  }
  expect_failures = [output.ecs_services]
}
