variable "repository" {
  description = "The GitHub repository (owner/name) whose workflows may assume the roles."
  type        = string
  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.repository))
    error_message = "repository must be owner/name, without wildcards."
  }
}

variable "create_provider" {
  description = "Create the account's GitHub OIDC identity provider (one per account); false to use the existing one."
  type        = bool
  default     = true
}

variable "roles" {
  description = <<-EOT
    IAM roles GitHub Actions may assume, by name. `subjects` are the exact token subjects allowed,
    after "repo:OWNER/NAME:" (e.g. "ref:refs/heads/main", "environment:prod", "pull_request");
    wildcards are refused. `managed_policy_arns` are attached and `inline_policy` (JSON) is added.
  EOT
  type = map(object({
    subjects            = list(string)
    managed_policy_arns = optional(list(string), [])
    inline_policy       = optional(string)
    max_session_hours   = optional(number, 1)
  }))
  validation {
    condition     = alltrue([for r in values(var.roles) : length(r.subjects) > 0])
    error_message = "Every role needs at least one subject."
  }
  validation {
    condition = alltrue(flatten([for r in values(var.roles) : [
      for s in r.subjects : can(regex("^(ref:refs/(heads|tags)/[^*?]+|environment:[^*?]+|pull_request)$", s))
    ]]))
    error_message = "Subjects must be exact: ref:refs/heads/BRANCH, ref:refs/tags/TAG, environment:NAME or pull_request (no * or ?)."
  }
}
