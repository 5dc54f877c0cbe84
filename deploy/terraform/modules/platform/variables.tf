variable "name" {
  description = "Prefix of every object's name, e.g. flotilla-dev."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.name))
    error_message = "name must be 2-21 lowercase letters, digits or hyphens, starting with a letter (it prefixes names limited to 32 characters)."
  }
}

variable "environment" {
  description = "Environment name (dev, prod): the GitHub environment the apply and deploy roles are bound to."
  type        = string
}

variable "github_repository" {
  description = "owner/name of the GitHub repository whose workflows plan, apply and deploy."
  type        = string
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider; false when another environment in the same account already did."
  type        = bool
  default     = true
}

variable "state_bucket" {
  description = "Bucket of the Terraform state (the plan role may write only the lock file and state of this environment)."
  type        = string
}

variable "state_key_prefix" {
  description = "Key prefix of this environment's state objects in state_bucket."
  type        = string
}

variable "state_kms_key_arn" {
  description = "KMS key encrypting the state bucket (state module output)."
  type        = string
}

variable "vpc_cidr" {
  description = "IPv4 range of the VPC."
  type        = string
  default     = "10.0.0.0/16"
}

variable "az_count" {
  description = "Availability zones to use (>= 2)."
  type        = number
  default     = 2
}

variable "single_nat_gateway" {
  description = "One shared NAT gateway instead of one per AZ."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Retention of every log group (flow logs, EKS control plane, containers)."
  type        = number
  default     = 365
}

variable "enable_eks" {
  description = "Run the EKS platform (seed 003)."
  type        = bool
  default     = true
}

variable "eks" {
  description = "EKS settings (see the eks module's inputs)."
  type = object({
    kubernetes_version     = optional(string) # null: the eks module's default, the one place it is kept
    admin_principal_arns   = optional(list(string), [])
    endpoint_public_access = optional(bool, false)
    public_access_cidrs    = optional(list(string), [])
    node_instance_types    = optional(list(string), ["t3.medium"])
    node_min_size          = optional(number, 2)
    node_desired_size      = optional(number, 2)
    node_max_size          = optional(number, 4)
  })
  default = {}
}

variable "enable_ecs" {
  description = "Run the fleet on ECS Fargate behind an ALB (seed 004)."
  type        = bool
  default     = true
}

variable "certificate_arn" {
  description = "ACM certificate of the ALB's HTTPS listener; null serves HTTP only (and cannot serve gRPC services)."
  type        = string
  default     = null
}

variable "require_https" {
  description = "Refuse to plan without certificate_arn (an environment whose users must never get plain HTTP)."
  type        = bool
  default     = false
}

variable "alb_deletion_protection" {
  description = "Protect the ALB from deletion."
  type        = bool
  default     = true
}

variable "ecr_force_delete" {
  description = "Let destroy delete ECR repositories that still hold images."
  type        = bool
  default     = false
}

variable "image_tag" {
  description = "Image tag deployed when a service sets none; null uses each service's version from the registry."
  type        = string
  default     = null
}

variable "services" {
  description = <<-EOT
    ECS settings per Flotilla service, keyed by registry name, over the fleet's own (ecs-fleet.tf);
    every registry member runs, with defaults where nothing is set. port overrides the registry's
    port (the container's), path_patterns are the ALB paths routed to it (default /NAME and
    /NAME/*; "/*" makes it the catch-all), environment is plain configuration (never secrets).
  EOT
  type = map(object({
    port              = optional(number)
    health_check_path = optional(string)
    path_patterns     = optional(list(string))
    environment       = optional(map(string))
    desired_count     = optional(number)
    cpu               = optional(number)
    memory            = optional(number)
    image_tag         = optional(string)
  }))
  default = {}
}

variable "desired_count" {
  description = "Tasks per ECS service when its settings give none."
  type        = number
  default     = 2
}
