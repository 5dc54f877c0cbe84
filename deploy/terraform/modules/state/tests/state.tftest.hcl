# The AWS provider mocked (OpenTofu has no shared mock files): what AWS would compute is
# random, except values the provider validates when they are passed on (ARNs, URLs).
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }

  mock_data "aws_region" {
    defaults = {
      region = "eu-west-1"
    }
  }

  mock_resource "aws_kms_key" {
    defaults = {
      arn    = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000"
      key_id = "00000000-0000-0000-0000-000000000000"
    }
  }

  mock_resource "aws_s3_bucket" {
    defaults = {
      arn = "arn:aws:s3:::mock"
    }
  }
}

variables {
  bucket_name = "flotilla-tfstate-test"
}

run "bucket_versioned_encrypted_private" {
  command = apply

  assert {
    condition     = aws_s3_bucket_versioning.state.versioning_configuration[0].status == "Enabled"
    error_message = "state must be versioned: every apply can be rolled back"
  }
  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.state.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "aws:kms" && one(aws_s3_bucket_server_side_encryption_configuration.state.rule).apply_server_side_encryption_by_default[0].kms_master_key_id == module.key.arn
    error_message = "state must be encrypted with the bucket's own KMS key"
  }
  assert {
    condition = alltrue([
      aws_s3_bucket_public_access_block.state.block_public_acls,
      aws_s3_bucket_public_access_block.state.block_public_policy,
      aws_s3_bucket_public_access_block.state.ignore_public_acls,
      aws_s3_bucket_public_access_block.state.restrict_public_buckets,
    ])
    error_message = "every public access path must be blocked"
  }
  assert {
    condition     = jsondecode(aws_s3_bucket_policy.state.policy).Statement[0].Effect == "Deny" && jsondecode(aws_s3_bucket_policy.state.policy).Statement[0].Condition.Bool["aws:SecureTransport"] == "false"
    error_message = "plain-HTTP access must be denied"
  }
  assert {
    condition     = !aws_s3_bucket.state.force_destroy
    error_message = "a bucket holding state is not force-destroyed by default"
  }
  assert {
    condition     = length(aws_dynamodb_table.lock) == 0 && output.dynamodb_table == null
    error_message = "S3 native locking by default: no DynamoDB table"
  }
}

run "dynamodb_lock_table_when_asked" {
  command = apply
  variables {
    dynamodb_lock_table = "flotilla-tflock"
  }

  assert {
    condition     = aws_dynamodb_table.lock[0].hash_key == "LockID" && aws_dynamodb_table.lock[0].server_side_encryption[0].enabled
    error_message = "the lock table is keyed by LockID (what the S3 backend writes) and encrypted"
  }
  assert {
    condition     = output.dynamodb_table == "flotilla-tflock"
    error_message = "the lock table's name is an output"
  }
}

run "rejects_an_invalid_bucket_name" {
  command = plan
  variables {
    bucket_name = "Flotilla_State"
  }
  expect_failures = [var.bucket_name]
}
