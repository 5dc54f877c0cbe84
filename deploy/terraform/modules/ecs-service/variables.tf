variable "name" {
  description = "Name of the service (a Flotilla service name from the registry) within the cluster."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of the IAM roles, log group and target group (e.g. flotilla-dev)."
  type        = string
}

variable "cluster_arn" {
  description = "ECS cluster to run in (ecs-cluster's cluster_arn)."
  type        = string
}

variable "image" {
  description = "Container image, by immutable tag or digest (REPOSITORY_URL:TAG or @sha256:...)."
  type        = string
}

variable "port" {
  description = "Port the container serves on (the registry's port)."
  type        = number
}

variable "protocol" {
  description = "http: an HTTP target group with an HTTP health check on health_check_path. grpc: a gRPC target group (needs the HTTPS listener) checked with grpc.health.v1."
  type        = string
  default     = "http"
  validation {
    condition     = contains(["http", "grpc"], var.protocol)
    error_message = "protocol must be http or grpc."
  }
}

variable "health_check_path" {
  description = "HTTP path the load balancer checks (readiness: 200 only when the service can take traffic)."
  type        = string
  default     = "/readyz"
}

variable "environment" {
  description = "Environment variables of the container (no secrets: use secrets)."
  type        = map(string)
  default     = {}
}

variable "secrets" {
  description = "Environment variables read at start from Secrets Manager or SSM Parameter Store, by ARN (the execution role may read exactly these)."
  type        = map(string)
  default     = {}
}

variable "cpu" {
  description = "Fargate task CPU units (256 = 0.25 vCPU)."
  type        = number
  default     = 256
}

variable "memory" {
  description = "Fargate task memory in MiB."
  type        = number
  default     = 512
}

variable "desired_count" {
  description = "Number of tasks (spread across the subnets' AZs)."
  type        = number
  default     = 2
}

variable "vpc_id" {
  description = "VPC of the service."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the tasks (no public IP is assigned)."
  type        = list(string)
}

variable "alb_security_group_id" {
  description = "Security group of the ALB: the only source allowed to the container port."
  type        = string
}

variable "listener_arn" {
  description = "ALB listener the service's routing rule is added to."
  type        = string
}

variable "listener_is_https" {
  description = "Whether listener_arn is the HTTPS listener (gRPC needs it)."
  type        = bool
}

variable "path_patterns" {
  description = "Request paths routed to this service (ALB path patterns, at most 5)."
  type        = list(string)
  validation {
    condition     = length(var.path_patterns) >= 1 && length(var.path_patterns) <= 5
    error_message = "path_patterns needs 1 to 5 patterns (an ALB rule condition holds at most 5)."
  }
}

variable "priority" {
  description = "Priority of the routing rule on the listener (unique per listener; lower wins)."
  type        = number
}

variable "log_retention_days" {
  description = "Days the container logs are kept."
  type        = number
  default     = 365
}

variable "log_kms_key_arn" {
  description = "KMS key encrypting the log group (its policy must let CloudWatch Logs use it); null for CloudWatch's default encryption."
  type        = string
  default     = null
}
