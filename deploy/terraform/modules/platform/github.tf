# The roles GitHub Actions assumes (OIDC, no stored keys), each bound to exact token subjects:
#   plan   pull requests: read-only, plus writing this environment's lock file and plan-time state
#   apply  the `ENVIRONMENT` GitHub environment (required reviewers live there): changes the platform
#   deploy the main branch: pushes images to the fleet's repositories, rolls the ECS services
data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition     = data.aws_partition.current.partition
  account       = data.aws_caller_identity.current.account_id
  state_objects = "arn:${local.partition}:s3:::${var.state_bucket}/${var.state_key_prefix}*"
  state_access = [
    {
      Effect   = "Allow"
      Action   = ["s3:ListBucket"]
      Resource = "arn:${local.partition}:s3:::${var.state_bucket}"
    },
    {
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
      Resource = local.state_objects
    },
    {
      Effect   = "Allow"
      Action   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
      Resource = var.state_kms_key_arn
    },
  ]
  deploy_access = concat(
    [
      { Effect = "Allow", Action = ["ecr:GetAuthorizationToken"], Resource = "*" },
      {
        Effect = "Allow"
        Action = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload",
        "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart", "ecr:DescribeImages"]
        Resource = sort(values(module.ecr.repository_arns))
      },
    ],
    [for _ in module.ecs_cluster : {
      Effect   = "Allow"
      Action   = ["ecs:UpdateService", "ecs:DescribeServices"]
      Resource = "arn:${local.partition}:ecs:*:${local.account}:service/${var.name}/*"
    }],
    [for eks in module.eks : {
      Effect   = "Allow"
      Action   = ["eks:DescribeCluster"]
      Resource = eks.cluster_arn
    }],
  )
}

module "github_oidc" {
  source          = "../github-oidc"
  repository      = var.github_repository
  create_provider = var.create_github_oidc_provider
  roles = {
    "${var.name}-github-plan" = {
      subjects            = ["pull_request"]
      managed_policy_arns = ["arn:${local.partition}:iam::aws:policy/ReadOnlyAccess"]
      inline_policy       = jsonencode({ Version = "2012-10-17", Statement = local.state_access })
    }
    "${var.name}-github-apply" = {
      subjects            = ["environment:${var.environment}"]
      managed_policy_arns = ["arn:${local.partition}:iam::aws:policy/PowerUserAccess"]
      # PowerUserAccess excludes IAM: allow it only on this environment's own roles and providers.
      inline_policy = jsonencode({
        Version = "2012-10-17"
        Statement = concat(local.state_access, [
          {
            Effect = "Allow"
            Action = ["iam:*Role*", "iam:*OpenIDConnectProvider*", "iam:PassRole", "iam:CreateServiceLinkedRole"]
            Resource = [
              "arn:${local.partition}:iam::${local.account}:role/${var.name}-*",
              "arn:${local.partition}:iam::${local.account}:role/aws-service-role/*",
              "arn:${local.partition}:iam::${local.account}:oidc-provider/*",
            ]
          },
        ])
      })
    }
    "${var.name}-github-deploy" = {
      subjects      = ["ref:refs/heads/main", "environment:${var.environment}"]
      inline_policy = jsonencode({ Version = "2012-10-17", Statement = local.deploy_access })
    }
  }
}
