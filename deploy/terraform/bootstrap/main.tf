# Creates the state bucket (and, if asked, the DynamoDB lock table) the environments' S3 backends
# use. It cannot keep its own state in a bucket that does not exist yet: it starts with local state;
# once applied, `tofu init -migrate-state -backend-config=...` can move it into the bucket.
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
  region              = var.region
  allowed_account_ids = var.allowed_account_ids
  s3_use_path_style   = var.s3_use_path_style
  default_tags {
    tags = {
      Project   = "flotilla"
      ManagedBy = "opentofu"
      Purpose   = "terraform-state"
    }
  }
}

module "state" {
  source              = "../modules/state"
  bucket_name         = var.bucket_name
  dynamodb_lock_table = var.dynamodb_lock_table
  force_destroy       = var.force_destroy
}
