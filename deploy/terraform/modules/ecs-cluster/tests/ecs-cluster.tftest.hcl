# The AWS provider mocked (OpenTofu has no shared mock files): what AWS would compute is
# random, except values the provider validates when they are passed on (ARNs, URLs).
mock_provider "aws" {
  mock_data "aws_vpc" {
    defaults = {
      cidr_block = "10.10.0.0/16"
    }
  }

  mock_resource "aws_lb" {
    defaults = {
      arn      = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/mock/0123456789abcdef"
      dns_name = "mock-123456.eu-west-1.elb.amazonaws.com"
    }
  }

  mock_resource "aws_ecs_cluster" {
    defaults = {
      arn = "arn:aws:ecs:eu-west-1:123456789012:cluster/mock"
    }
  }

}

# Distinct ARNs for the two listeners, so which one services attach to is visible.
override_resource {
  target = aws_lb_listener.https
  values = { arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/mock/0123456789abcdef/0000000000000443" }
}

override_resource {
  target = aws_lb_listener.http
  values = { arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/mock/0123456789abcdef/0000000000000080" }
}

variables {
  name              = "flotilla-test"
  vpc_id            = "vpc-0123456789abcdef0"
  public_subnet_ids = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
}

run "https_with_a_certificate" {
  command = apply
  variables {
    certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
  }

  assert {
    condition     = alltrue([for r in aws_vpc_security_group_ingress_rule.alb : contains([80, 443], r.from_port) && r.from_port == r.to_port && r.ip_protocol == "tcp"])
    error_message = "the ALB accepts only 80 and 443 from the internet"
  }
  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.alb) == 2
    error_message = "80 and 443"
  }
  assert {
    condition     = aws_lb_listener.https[0].port == 443 && aws_lb_listener.https[0].protocol == "HTTPS" && startswith(aws_lb_listener.https[0].ssl_policy, "ELBSecurityPolicy-TLS13")
    error_message = "HTTPS on 443 with a TLS 1.3 policy"
  }
  assert {
    condition     = aws_lb_listener.http.default_action[0].type == "redirect" && aws_lb_listener.http.default_action[0].redirect[0].protocol == "HTTPS"
    error_message = "port 80 only redirects to HTTPS"
  }
  assert {
    condition     = output.listener_arn == aws_lb_listener.https[0].arn && output.https
    error_message = "services attach to the HTTPS listener"
  }
}

run "http_only_without_a_certificate" {
  command = apply

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.alb) == 1 && one(values(aws_vpc_security_group_ingress_rule.alb)).from_port == 80
    error_message = "without a certificate only port 80 is open"
  }
  assert {
    condition     = length(aws_lb_listener.https) == 0 && aws_lb_listener.http.default_action[0].type == "fixed-response" && output.listener_arn == aws_lb_listener.http.arn && !output.https
    error_message = "HTTP listener answering 404 to unclaimed paths; services attach to it"
  }
}

run "alb_hardened_and_egress_to_vpc_only" {
  command = apply

  assert {
    condition     = aws_lb.this.drop_invalid_header_fields && !aws_lb.this.internal && aws_lb.this.enable_deletion_protection
    error_message = "invalid headers dropped, deletion protection on by default"
  }
  assert {
    condition     = aws_vpc_security_group_egress_rule.alb_to_vpc.cidr_ipv4 == "10.10.0.0/16"
    error_message = "the ALB talks only to the VPC"
  }
  assert {
    condition     = one(aws_ecs_cluster.this.setting).name == "containerInsights" && one(aws_ecs_cluster.this.setting).value == "enabled"
    error_message = "Container Insights on"
  }
}

run "rejects_a_single_subnet" {
  command = plan
  variables {
    public_subnet_ids = ["subnet-0123456789abcdef0"]
  }
  expect_failures = [var.public_subnet_ids]
}
