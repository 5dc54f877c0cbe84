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
}

variables {
  description = "test"
}

run "rotated_and_administered_by_the_account" {
  command = apply

  assert {
    condition     = aws_kms_key.this.enable_key_rotation
    error_message = "the key rotates"
  }
  assert {
    condition     = length(jsondecode(aws_kms_key.this.policy).Statement) == 1 && jsondecode(aws_kms_key.this.policy).Statement[0].Principal.AWS == "arn:aws:iam::123456789012:root"
    error_message = "without log groups, only the account administers the key"
  }
  assert {
    condition     = length(aws_kms_alias.this) == 0
    error_message = "no alias unless asked"
  }
}

run "logs_only_for_the_named_groups" {
  command = apply
  variables {
    alias           = "flotilla-test-logs"
    log_group_names = ["/vpc/flotilla-test/flow-logs"]
  }

  assert {
    condition     = jsondecode(aws_kms_key.this.policy).Statement[1].Principal.Service == "logs.eu-west-1.amazonaws.com"
    error_message = "CloudWatch Logs of the key's region may use it"
  }
  assert {
    condition     = jsondecode(aws_kms_key.this.policy).Statement[1].Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"] == ["arn:aws:logs:eu-west-1:123456789012:log-group:/vpc/flotilla-test/flow-logs"]
    error_message = "only in the encryption context of the named log groups"
  }
  assert {
    condition     = aws_kms_alias.this[0].name == "alias/flotilla-test-logs"
    error_message = "the alias"
  }
}

run "rejects_a_reserved_alias" {
  command = plan
  variables {
    alias = "aws/flotilla"
  }
  expect_failures = [var.alias]
}
