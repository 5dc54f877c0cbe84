# prod: a NAT gateway per AZ across three AZs, HTTPS only (a certificate is required), a private
# EKS endpoint, two or more tasks per service, a protected ALB, ECR repositories that keep images.
locals {
  environment = "prod"
}

module "platform" {
  source = "../../modules/platform"

  name                        = "flotilla-${local.environment}"
  environment                 = local.environment
  github_repository           = var.github_repository
  create_github_oidc_provider = var.create_github_oidc_provider
  state_bucket                = var.state_bucket
  state_key_prefix            = "flotilla/${local.environment}/"
  state_kms_key_arn           = var.state_kms_key_arn

  vpc_cidr           = "10.20.0.0/16"
  az_count           = 3
  single_nat_gateway = false
  log_retention_days = 365

  enable_eks = true
  eks = {
    admin_principal_arns   = var.eks_admin_principal_arns
    endpoint_public_access = false
    node_min_size          = 3
    node_desired_size      = 3
    node_max_size          = 6
  }

  enable_ecs              = true
  certificate_arn         = var.certificate_arn
  require_https           = true
  alb_deletion_protection = true
  ecr_force_delete        = false
  desired_count           = 2
  services                = var.services
}
