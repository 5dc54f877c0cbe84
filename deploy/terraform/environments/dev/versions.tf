terraform {
  required_version = ">= 1.10"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
  # Partial configuration: the bucket, region and KMS key come at init from the deployment
  # (scripts/terraform-init.sh: TF_STATE_BUCKET, AWS_REGION, TF_STATE_KMS_KEY_ARN).
  # Locking: S3 native lock file (no DynamoDB table needed).
  backend "s3" {
    key          = "flotilla/dev/terraform.tfstate"
    encrypt      = true
    use_lockfile = true
  }
}
