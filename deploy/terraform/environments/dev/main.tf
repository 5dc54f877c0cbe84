# dev: both platforms, cheap and disposable: one NAT gateway, one task per service, HTTP only
# (no domain, so gRPC services run on EKS only), a private EKS endpoint like prod's.
locals {
  environment = "dev"
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

  vpc_cidr           = "10.10.0.0/16"
  az_count           = 2
  single_nat_gateway = true
  log_retention_days = 365

  enable_eks = true
  eks = {
    admin_principal_arns   = var.eks_admin_principal_arns
    endpoint_public_access = false
    node_min_size          = 1
    node_desired_size      = 2
    node_max_size          = 3
  }

  enable_ecs              = true
  certificate_arn         = var.certificate_arn
  alb_deletion_protection = false
  ecr_force_delete        = true
  desired_count           = 1
  services                = var.services
}
