variable "region" {
  description = "AWS region of the state bucket."
  type        = string
  default     = "eu-west-1"
}

variable "allowed_account_ids" {
  description = "The only AWS account(s) the bucket may be created in."
  type        = list(string)
}

variable "bucket_name" {
  description = "Name of the state bucket (globally unique)."
  type        = string
}

variable "dynamodb_lock_table" {
  description = "Also create a DynamoDB lock table of this name (for CLIs older than 1.10); null for none."
  type        = string
  default     = null
}

variable "force_destroy" {
  description = "Let destroy remove a bucket that still holds state (throw-away accounts only)."
  type        = bool
  default     = false
}

variable "s3_use_path_style" {
  description = "Path-style S3 addressing, for S3-compatible endpoints without per-bucket DNS (a local AWS API)."
  type        = bool
  default     = false
}
