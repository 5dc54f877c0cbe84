# A test root for the tier's end-to-end phase: the network module alone, with a NAT gateway per
# AZ across three AZs (dev applies the single-NAT shape), so the routes' wiring is checked
# against the local AWS API: mocked IDs in `tofu test` are all alike and cannot tell NATs apart.
terraform {
  required_version = ">= 1.10"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

module "network" {
  source             = "../../modules/network"
  name               = "flotilla-nat-test"
  cidr_block         = "10.30.0.0/16"
  az_count           = 3
  single_nat_gateway = false
}

output "vpc_id" {
  description = "The test VPC."
  value       = module.network.vpc_id
}
