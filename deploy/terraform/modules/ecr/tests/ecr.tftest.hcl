mock_provider "aws" {}

variables {
  repositories = ["flotilla/hello", "flotilla/stats"]
}

run "tags_immutable_scanned_encrypted" {
  command = plan

  assert {
    condition     = length(aws_ecr_repository.this) == 2
    error_message = "one repository per name"
  }
  assert {
    condition     = alltrue([for r in aws_ecr_repository.this : r.image_tag_mutability == "IMMUTABLE"])
    error_message = "tags must be immutable: a tag always names the same image"
  }
  assert {
    condition     = alltrue([for r in aws_ecr_repository.this : r.image_scanning_configuration[0].scan_on_push])
    error_message = "every push must be scanned"
  }
  assert {
    condition     = alltrue([for r in aws_ecr_repository.this : r.encryption_configuration[0].encryption_type == "KMS"])
    error_message = "images are KMS-encrypted"
  }
  assert {
    condition     = alltrue([for r in aws_ecr_repository.this : !r.force_delete])
    error_message = "repositories holding images are not deleted by default"
  }
}

run "lifecycle_policy_bounds_storage" {
  command = plan

  assert {
    condition = alltrue([for p in aws_ecr_lifecycle_policy.this :
      jsondecode(p.policy).rules[0].selection.tagStatus == "untagged" &&
      jsondecode(p.policy).rules[1].selection.countNumber == 30
    ])
    error_message = "untagged images expire first, then all but the newest 30"
  }
}

run "rejects_an_invalid_repository_name" {
  command = plan
  variables {
    repositories = ["Flotilla/Hello"]
  }
  expect_failures = [var.repositories]
}
