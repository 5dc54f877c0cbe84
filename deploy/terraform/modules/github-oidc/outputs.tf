output "provider_arn" {
  description = "ARN of the GitHub OIDC identity provider."
  value       = local.provider_arn
}

output "role_arns" {
  description = "Role ARN by role name (the workflow's role-to-assume)."
  value       = { for k, r in aws_iam_role.this : k => r.arn }
}

output "role_trust_policies" {
  description = "Trust policy (JSON) by role name, as rendered: what tests and linters read."
  value       = { for k, r in aws_iam_role.this : k => r.assume_role_policy }
}
