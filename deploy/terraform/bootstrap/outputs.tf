output "bucket" {
  description = "The state bucket: TF_STATE_BUCKET for the environments."
  value       = module.state.bucket
}

output "kms_key_arn" {
  description = "The state's KMS key: TF_STATE_KMS_KEY_ARN for the environments."
  value       = module.state.kms_key_arn
}

output "dynamodb_table" {
  description = "The DynamoDB lock table, or null."
  value       = module.state.dynamodb_table
}
