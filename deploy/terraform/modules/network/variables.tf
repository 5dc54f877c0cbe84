variable "name" {
  description = "Prefix of every object's name (e.g. flotilla-dev)."
  type        = string
}

variable "cidr_block" {
  description = "IPv4 range of the VPC. Each AZ gets a public /20 and a private /20 inside it (with a /16)."
  type        = string
  default     = "10.0.0.0/16"
  validation {
    condition     = can(cidrnetmask(var.cidr_block))
    error_message = "cidr_block must be an IPv4 CIDR such as 10.0.0.0/16."
  }
}

variable "az_count" {
  description = "How many availability zones to spread the subnets over (the first N available in the region)."
  type        = number
  default     = 2
  validation {
    condition     = var.az_count >= 2 && var.az_count <= 6
    error_message = "az_count must be between 2 and 6: a single AZ is not highly available."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for every AZ (cheaper; an AZ outage cuts the others' egress) instead of one per AZ."
  type        = bool
  default     = false
}

variable "flow_log_retention_days" {
  description = "Days the VPC flow logs are kept in CloudWatch Logs."
  type        = number
  default     = 365
}

variable "flow_log_traffic_type" {
  description = "Which traffic the VPC flow logs record: ACCEPT, REJECT or ALL."
  type        = string
  default     = "ALL"
  validation {
    condition     = contains(["ACCEPT", "REJECT", "ALL"], var.flow_log_traffic_type)
    error_message = "flow_log_traffic_type must be ACCEPT, REJECT or ALL."
  }
}

variable "cluster_name" {
  description = "EKS cluster whose load balancer controller may use these subnets (tags kubernetes.io/cluster/NAME); null for none."
  type        = string
  default     = null
}
