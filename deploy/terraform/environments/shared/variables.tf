# What differs per deployment (a fork, an account) rather than per environment: given at plan time
# by the workflow (repository variables) or a *.auto.tfvars file that is not committed.
variable "region" {
  description = "AWS region of the environment."
  type        = string
  default     = "eu-west-1"
}

variable "allowed_account_ids" {
  description = "The only AWS account(s) this environment may be applied to."
  type        = list(string)
  validation {
    condition     = length(var.allowed_account_ids) > 0 && alltrue([for a in var.allowed_account_ids : can(regex("^[0-9]{12}$", a))])
    error_message = "allowed_account_ids needs at least one 12-digit AWS account ID."
  }
}

variable "github_repository" {
  description = "owner/name of the GitHub repository whose workflows may plan, apply and deploy."
  type        = string
}

variable "eks_admin_principal_arns" {
  description = "IAM roles or users that administer the EKS cluster (cluster-admin access entries); nobody else but the deploy role reaches it."
  type        = list(string)
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider (false when another environment in the same account owns it)."
  type        = bool
  default     = true
}

variable "state_bucket" {
  description = "The state bucket (bootstrap output `bucket`)."
  type        = string
}

variable "state_kms_key_arn" {
  description = "The state bucket's KMS key (bootstrap output `kms_key_arn`)."
  type        = string
}

variable "certificate_arn" {
  description = "ACM certificate for the ALB's HTTPS listener; null serves HTTP only."
  type        = string
  default     = null
}

variable "services" {
  description = "Per-service ECS settings (the platform module's `services`), keyed by registry name."
  type        = any
  default     = {}
}
