# The roles GitHub Actions assumes (OIDC, no stored keys), each bound to exact token subjects. Which
# roles an environment has, and the subject each trusts, come from environments.json (the one
# declaration the workflows are checked against, scripts/environments.py):
#   plan   pull requests: read-only, plus writing this environment's lock file and plan-time state
#   apply  the `ENVIRONMENT` GitHub environment (required reviewers live there): changes the platform
#   deploy the `ENVIRONMENT` GitHub environment: pushes images, rolls ECS, edits its EKS namespace
data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

locals {
  delivery = jsondecode(file("${path.module}/../../environments.json"))
  # An undeclared environment gets no roles; the github_role_arns output's precondition says why.
  declared = try(local.delivery.environments[var.environment], { branches = [], namespace = "", roles = [] })
  subjects = {
    pull_request = ["pull_request"]
    environment  = ["environment:${var.environment}"]
    branch       = [for b in local.declared.branches : "ref:refs/heads/${b}"]
  }
  role_subjects = { for role in local.declared.roles : role => local.subjects[local.delivery.subjects[role]] }

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
        # pushing, and pulling back what verify (cosign) reads: signatures, attestations, layers
        Action = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload",
        "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart", "ecr:DescribeImages", "ecr:GetDownloadUrlForLayer"]
        Resource = sort(values(module.ecr.repository_arns))
      },
    ],
    [for _ in module.ecs_cluster : {
      Effect   = "Allow"
      Action   = ["ecs:UpdateService", "ecs:DescribeServices"]
      Resource = "arn:${local.partition}:ecs:*:${local.account}:service/${var.name}/*"
    }],
    # pipeline/roll-ecs: a new revision of each service's task definition, with the promoted
    # digest. Reading and registering task definitions takes no resource ARN in IAM; passing the
    # tasks' own roles is limited to those roles and to ECS tasks.
    [for statement in [
      {
        Effect   = "Allow"
        Action   = ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"]
        Resource = "*"
      },
      {
        Effect    = "Allow"
        Action    = ["iam:PassRole"]
        Resource  = sort(flatten([for s in module.service : [s.task_role_arn, s.execution_role_arn]]))
        Condition = { StringEquals = { "iam:PassedToService" = "ecs-tasks.amazonaws.com" } }
      },
    ] : statement if length(module.service) > 0],
    # cluster_arn alone (not all of module.eks, whose access entries name this role)
    var.enable_eks ? [{
      Effect   = "Allow"
      Action   = ["eks:DescribeCluster"]
      Resource = module.eks[0].cluster_arn
    }] : [],
  )
}

# What each role may do; its subjects come from the declaration.
locals {
  role_access = {
    plan = {
      managed_policy_arns = ["arn:${local.partition}:iam::aws:policy/ReadOnlyAccess"]
      inline_policy       = jsonencode({ Version = "2012-10-17", Statement = local.state_access })
    }
    apply = {
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
    deploy = {
      managed_policy_arns = tolist([])
      inline_policy       = jsonencode({ Version = "2012-10-17", Statement = local.deploy_access })
    }
  }
  deploy_role = "${var.name}-github-deploy"
}

module "github_oidc" {
  source          = "../github-oidc"
  repository      = var.github_repository
  create_provider = var.create_github_oidc_provider
  roles = { for role, subjects in local.role_subjects : "${var.name}-github-${role}" => {
    subjects            = subjects
    managed_policy_arns = local.role_access[role].managed_policy_arns
    inline_policy       = local.role_access[role].inline_policy
  } }
}
