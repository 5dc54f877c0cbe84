# A customer-managed KMS key with yearly rotation. Its policy lets the account administer it
# through IAM (AWS's default) and, when log groups are named, lets CloudWatch Logs use it only in
# the encryption context of exactly those groups.
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  partition = data.aws_partition.current.partition
  account   = data.aws_caller_identity.current.account_id
  region    = data.aws_region.current.region
  account_administers = {
    Sid       = "AccountAdministers"
    Effect    = "Allow"
    Principal = { AWS = "arn:${local.partition}:iam::${local.account}:root" }
    Action    = "kms:*"
    Resource  = "*"
  }
  logs_encrypt = {
    Sid       = "CloudWatchLogsEncrypts"
    Effect    = "Allow"
    Principal = { Service = "logs.${local.region}.amazonaws.com" }
    Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    Resource  = "*"
    Condition = {
      ArnLike = {
        "kms:EncryptionContext:aws:logs:arn" = [for g in var.log_group_names : "arn:${local.partition}:logs:${local.region}:${local.account}:log-group:${g}"]
      }
    }
  }
}

resource "aws_kms_key" "this" {
  description         = var.description
  enable_key_rotation = true
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = concat([local.account_administers], length(var.log_group_names) > 0 ? [local.logs_encrypt] : [])
  })
}

resource "aws_kms_alias" "this" {
  count         = var.alias == null ? 0 : 1
  name          = "alias/${var.alias}"
  target_key_id = aws_kms_key.this.key_id
}
