variable "name" {
  description = "Name of the cluster and prefix of its other objects."
  type        = string
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the control plane and the nodes."
  type        = string
  default     = "1.33"
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
