variable "repositories" {
  description = "Repository names, one per Flotilla service (from the service registry)."
  type        = set(string)
  validation {
    condition     = alltrue([for r in var.repositories : can(regex("^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$", r))])
    error_message = "Repository names must be lowercase ECR names (letters, digits, . _ - and / separators)."
  }
}

variable "keep_tagged_images" {
  description = "How many tagged images each repository keeps; older ones expire."
  type        = number
  default     = 30
  validation {
    condition     = var.keep_tagged_images >= 1
    error_message = "keep_tagged_images must be at least 1."
  }
}

variable "untagged_expiry_days" {
  description = "Days after which an untagged image (a replaced build's layers) expires."
  type        = number
  default     = 7
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for the images; null uses the AWS-managed aws/ecr key (still KMS)."
  type        = string
  default     = null
}

variable "force_delete" {
  description = "Let destroy delete repositories that still hold images (for throw-away environments only)."
  type        = bool
  default     = false
}
