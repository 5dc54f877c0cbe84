output "bucket" {
  description = "Name of the state bucket (the backend's `bucket`)."
  value       = aws_s3_bucket.state.bucket
}

output "bucket_arn" {
  description = "ARN of the state bucket (for the CI roles' policies)."
  value       = aws_s3_bucket.state.arn
}

output "kms_key_arn" {
  description = "KMS key encrypting the state (the backend's `kms_key_id`; CI roles need kms:Decrypt/Encrypt on it)."
  value       = module.key.arn
}

output "dynamodb_table" {
  description = "Name of the DynamoDB lock table, or null when only S3 native locking is used."
  value       = try(aws_dynamodb_table.lock[0].name, null)
}
