variable "description" {
  description = "What the key encrypts."
  type        = string
}

variable "alias" {
  description = "Alias of the key without the alias/ prefix; null for none."
  type        = string
  default     = null
  validation {
    condition     = var.alias == null ? true : can(regex("^[A-Za-z0-9/_-]{1,250}$", var.alias)) && !startswith(var.alias, "aws/") && !startswith(var.alias, "alias/")
    error_message = "alias is the name after alias/ (letters, digits, / _ -), and aws/ is reserved for AWS."
  }
}

variable "log_group_names" {
  description = "CloudWatch Logs groups that may be encrypted with the key (the logs service is allowed for exactly these)."
  type        = list(string)
  default     = []
}
