# The AWS provider mocked (OpenTofu has no shared mock files): what AWS would compute is
# random, except values the provider validates when they are passed on (ARNs, URLs).
mock_provider "aws" {
  mock_data "aws_region" {
    defaults = {
      region = "eu-west-1"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/mock"
    }
  }

  mock_resource "aws_lb_target_group" {
    defaults = {
      arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/mock/0123456789abcdef"
    }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:mock"
    }
  }

  mock_resource "aws_ecs_task_definition" {
    defaults = {
      arn = "arn:aws:ecs:eu-west-1:123456789012:task-definition/mock:1"
    }
  }
}

variables {
  name                  = "hello"
  name_prefix           = "flotilla-test"
  cluster_arn           = "arn:aws:ecs:eu-west-1:123456789012:cluster/flotilla-test"
  image                 = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/flotilla/hello:0.1.0"
  port                  = 8090
  vpc_id                = "vpc-0123456789abcdef0"
  subnet_ids            = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  alb_security_group_id = "sg-0123456789abcdef0"
  listener_arn          = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/flotilla-test/0123456789abcdef/0123456789abcdef"
  listener_is_https     = false
  path_patterns         = ["/hello", "/headers"]
  priority              = 100
  environment           = { LOG_LEVEL = "info" }
}

run "health_check_on_readyz" {
  command = apply

  assert {
    condition     = aws_lb_target_group.this.health_check[0].path == "/readyz" && aws_lb_target_group.this.health_check[0].matcher == "200"
    error_message = "the load balancer checks readiness, /readyz"
  }
  assert {
    condition     = aws_lb_target_group.this.port == 8090 && aws_lb_target_group.this.target_type == "ip" && aws_lb_target_group.this.protocol_version == "HTTP1"
    error_message = "an HTTP target group on the service's port, for Fargate (ip) targets"
  }
  assert {
    condition     = one(aws_lb_listener_rule.this.condition).path_pattern[0].values == toset(["/hello", "/headers"]) && aws_lb_listener_rule.this.action[0].target_group_arn == aws_lb_target_group.this.arn
    error_message = "the service's paths are forwarded to its target group"
  }
}

run "only_the_alb_may_connect" {
  command = apply

  assert {
    condition     = aws_vpc_security_group_ingress_rule.from_alb.referenced_security_group_id == var.alb_security_group_id && aws_vpc_security_group_ingress_rule.from_alb.cidr_ipv4 == null
    error_message = "tasks accept traffic from the ALB's security group only, never from an address range"
  }
  assert {
    condition     = aws_vpc_security_group_ingress_rule.from_alb.from_port == 8090 && aws_vpc_security_group_ingress_rule.from_alb.to_port == 8090
    error_message = "and only on the container port"
  }
  assert {
    condition     = !one(aws_ecs_service.this.network_configuration).assign_public_ip && toset(one(aws_ecs_service.this.network_configuration).subnets) == toset(var.subnet_ids)
    error_message = "tasks run in the private subnets without public IPs"
  }
}

run "task_hardened_and_least_privilege" {
  command = apply

  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].readonlyRootFilesystem && jsondecode(aws_ecs_task_definition.this.container_definitions)[0].mountPoints[0].containerPath == "/tmp"
    error_message = "read-only root filesystem with a writable /tmp only"
  }
  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].linuxParameters.capabilities.drop == ["ALL"] && !jsondecode(aws_ecs_task_definition.this.container_definitions)[0].privileged
    error_message = "no Linux capabilities, not privileged"
  }
  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].environment == [{ name = "LOG_LEVEL", value = "info" }]
    error_message = "the environment reaches the container"
  }
  assert {
    condition     = length(aws_iam_role_policy.execution_secrets) == 0
    error_message = "the task and execution roles get nothing beyond pulling and logging"
  }
  assert {
    condition     = aws_ecs_service.this.launch_type == "FARGATE" && aws_ecs_service.this.deployment_circuit_breaker[0].rollback
    error_message = "Fargate, and a failed deployment rolls back by itself"
  }
}

run "grpc_service_behind_https" {
  command = apply
  variables {
    protocol          = "grpc"
    port              = 8888
    listener_is_https = true
    path_patterns     = ["/routeguide.RouteGuide/*"]
  }

  assert {
    condition     = aws_lb_target_group.this.protocol_version == "GRPC" && aws_lb_target_group.this.health_check[0].path == "/grpc.health.v1.Health/Check" && aws_lb_target_group.this.health_check[0].matcher == "0"
    error_message = "gRPC target group checked with grpc.health.v1 (status OK)"
  }
}

run "rejects_grpc_without_https" {
  command = plan
  variables {
    protocol = "grpc"
  }
  expect_failures = [aws_lb_target_group.this]
}

run "rejects_too_many_paths" {
  command = plan
  variables {
    path_patterns = ["/a", "/b", "/c", "/d", "/e", "/f"]
  }
  expect_failures = [var.path_patterns]
}
