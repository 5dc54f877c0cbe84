variable "name" {
  description = "Name of the cluster and prefix of its other objects."
  type        = string
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the control plane and the nodes (null: this default, the one place the version is kept)."
  type        = string
  nullable    = false
  # The fleet's one Kubernetes version on EKS; Renovate proposes the next one (its comment marker).
  # renovate: datasource=endoflife-date depName=amazon-eks versioning=loose
  default = "1.35"
}

variable "admin_principal_arns" {
  description = "IAM principals (roles, users) that administer the cluster: AmazonEKSClusterAdminPolicy, cluster scope. At least one: the creator gets no implicit access."
  type        = list(string)
  validation {
    condition     = length(var.admin_principal_arns) > 0 && alltrue([for a in var.admin_principal_arns : can(regex("^arn:[a-z-]+:iam::[0-9]{12}:(role|user)/", a))])
    error_message = "admin_principal_arns needs at least one IAM role or user ARN (arn:aws:iam::ACCOUNT:role/NAME): without one nobody can reach the cluster."
  }
}

variable "namespace_editors" {
  description = <<-EOT
    IAM principals that may change objects in the named namespaces only (AmazonEKSEditPolicy,
    namespace scope), keyed by a static label. kubernetes_groups name RBAC groups the cluster binds
    on top (e.g. for PodMonitors, which the access policy does not cover).
  EOT
  type = map(object({
    principal_arn     = string
    namespaces        = list(string)
    kubernetes_groups = optional(list(string), [])
  }))
  default = {}
  validation {
    condition     = alltrue([for e in values(var.namespace_editors) : length(e.namespaces) > 0])
    error_message = "Every namespace editor needs at least one namespace (an empty list would mean the whole cluster)."
  }
}

variable "subnet_ids" {
  description = "Private subnets (at least two AZs) for the control plane's network interfaces and the nodes."
  type        = list(string)
  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "EKS needs subnets in at least two availability zones."
  }
}

variable "endpoint_public_access" {
  description = "Also expose the API server endpoint on the internet (to public_access_cidrs). Off: reachable from the VPC only."
  type        = bool
  default     = false
}

variable "public_access_cidrs" {
  description = "Networks allowed to the public endpoint when endpoint_public_access is on; never 0.0.0.0/0."
  type        = list(string)
  default     = []
  validation {
    condition     = !contains(var.public_access_cidrs, "0.0.0.0/0")
    error_message = "public_access_cidrs must not contain 0.0.0.0/0: name the networks that administer the cluster."
  }
}

variable "log_retention_days" {
  description = "Days the control-plane logs are kept."
  type        = number
  default     = 365
}

variable "node_instance_types" {
  description = "Instance types of the managed node group."
  type        = list(string)
  default     = ["t3.medium"]
}

variable "node_disk_size_gib" {
  description = "Size of each node's encrypted root volume."
  type        = number
  default     = 50
}

variable "node_min_size" {
  description = "Minimum number of nodes."
  type        = number
  default     = 2
}

variable "node_desired_size" {
  description = "Nodes at creation (later changes by an autoscaler are ignored)."
  type        = number
  default     = 2
}

variable "node_max_size" {
  description = "Maximum number of nodes."
  type        = number
  default     = 4
}
