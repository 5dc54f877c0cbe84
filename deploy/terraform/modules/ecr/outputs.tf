output "repository_urls" {
  description = "Repository URL by repository name (push and pull address)."
  value       = { for k, r in aws_ecr_repository.this : k => r.repository_url }
}

output "repository_arns" {
  description = "Repository ARN by repository name (for push/pull IAM policies)."
  value       = { for k, r in aws_ecr_repository.this : k => r.arn }
}
