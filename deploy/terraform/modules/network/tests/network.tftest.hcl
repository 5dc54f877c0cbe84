# The AWS provider mocked (OpenTofu has no shared mock files): what AWS would compute is
# random, except values the provider validates when they are passed on (ARNs, URLs). Mocked IDs
# are the same for every instance of a resource, so which NAT gateway a route uses is checked
# against the local AWS API (tier terraform), not here.
mock_provider "aws" {
  mock_data "aws_availability_zones" {
    defaults = {
      names = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    }
  }

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

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/mock"
    }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:mock"
    }
  }

  mock_resource "aws_kms_key" {
    defaults = {
      arn    = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000"
      key_id = "00000000-0000-0000-0000-000000000000"
    }
  }
}

variables {
  name = "flotilla-test"
}

run "private_subnets_get_no_public_ips" {
  command = apply

  assert {
    condition     = length(aws_subnet.private) == 2 && alltrue([for s in aws_subnet.private : !s.map_public_ip_on_launch])
    error_message = "private subnets must never assign public IPs"
  }
  assert {
    condition     = alltrue([for s in aws_subnet.public : !s.map_public_ip_on_launch])
    error_message = "public subnets hold only load balancers and NAT gateways: no automatic public IPs either"
  }
  assert {
    condition     = toset([for s in aws_subnet.private : s.availability_zone]) == toset(["eu-west-1a", "eu-west-1b"])
    error_message = "one private subnet in each of the first two AZs"
  }
  assert {
    condition     = length(setintersection([for s in aws_subnet.public : s.cidr_block], [for s in aws_subnet.private : s.cidr_block])) == 0
    error_message = "public and private ranges must not overlap"
  }
}

run "nat_gateway_per_az_by_default" {
  command = apply

  assert {
    condition     = length(aws_nat_gateway.this) == 2
    error_message = "one NAT gateway per AZ by default"
  }
  assert {
    condition     = length(aws_route.private_nat) == 2 && alltrue([for r in aws_route.private_nat : r.destination_cidr_block == "0.0.0.0/0"])
    error_message = "each private route table has a default route (through a NAT gateway)"
  }
  assert {
    condition     = length(aws_eip.nat) == 2 && length(aws_route_table.private) == 2
    error_message = "an address and a route table per AZ"
  }
}

run "single_nat_gateway_when_asked" {
  command = apply
  variables {
    az_count           = 3
    single_nat_gateway = true
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 1 && length(aws_subnet.private) == 3
    error_message = "single_nat_gateway: one NAT gateway for three private subnets"
  }
  assert {
    condition     = length(aws_eip.nat) == 1 && length(aws_route.private_nat) == 3
    error_message = "single_nat_gateway: one address, still a default route per private subnet"
  }
}

run "flow_logs_and_default_security_group" {
  command = apply

  assert {
    condition     = aws_flow_log.this.traffic_type == "ALL" && aws_flow_log.this.log_destination == aws_cloudwatch_log_group.flow_logs.arn
    error_message = "all VPC traffic must be logged to the flow-log group"
  }
  assert {
    condition     = aws_cloudwatch_log_group.flow_logs.kms_key_id == module.flow_logs_key.arn
    error_message = "flow logs are encrypted with their own KMS key"
  }
  assert {
    condition     = length(aws_default_security_group.this.ingress) == 0 && length(aws_default_security_group.this.egress) == 0
    error_message = "the default security group must allow nothing"
  }
}

run "rejects_a_single_az" {
  command = plan
  variables {
    az_count = 1
  }
  expect_failures = [var.az_count]
}

run "rejects_a_bad_cidr" {
  command = plan
  variables {
    cidr_block = "10.0.0.0/33"
  }
  expect_failures = [var.cidr_block]
}
