variable "bucket_name" {
  description = "Name of the S3 bucket holding Terraform state (globally unique)."
  type        = string
  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)."
  }
}

variable "noncurrent_version_days" {
  description = "Days an overwritten state version is kept (to roll back a bad apply) before it expires."
  type        = number
  default     = 90
}

variable "dynamodb_lock_table" {
  description = "Also create the DynamoDB lock table (the pre-1.10 locking the seed describes) under this name; null for S3 native locking only (use_lockfile)."
  type        = string
  default     = null
}

variable "force_destroy" {
  description = "Let destroy delete a bucket that still holds state versions (for throw-away environments only)."
  type        = bool
  default     = false
}
