terraform {
  # OpenTofu >= 1.10 / Terraform >= 1.10: S3 native state locking (use_lockfile) in the roots.
  required_version = ">= 1.10"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}
