variable "name" {
  description = "Name of the ECS cluster and the load balancer, prefix of the rest."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the load balancer and the services."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets (at least two AZs) for the internet-facing load balancer."
  type        = list(string)
  validation {
    condition     = length(var.public_subnet_ids) >= 2
    error_message = "An ALB needs subnets in at least two availability zones."
  }
}

variable "certificate_arn" {
  description = "ACM certificate for the HTTPS listener (443; port 80 then only redirects). null: HTTP only on port 80, for an environment without a domain."
  type        = string
  default     = null
}

variable "ssl_policy" {
  description = "TLS policy of the HTTPS listener."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"
}

variable "ingress_cidrs" {
  description = "Networks allowed to the load balancer's 80/443."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "deletion_protection" {
  description = "Refuse to delete the load balancer (turn off before a deliberate destroy)."
  type        = bool
  default     = true
}

variable "access_logs_bucket" {
  description = "S3 bucket for the load balancer's access logs (its policy must let ELB write); null for none."
  type        = string
  default     = null
}
