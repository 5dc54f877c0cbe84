# One environment of Flotilla on AWS: the network, an ECR repository per service, the EKS platform
# (seed 003) and/or the ECS Fargate platform behind an ALB (seed 004), and the roles GitHub Actions
# assumes through OIDC. The environments (environments/dev, environments/prod) differ only in
# their inputs and their backend.
module "network" {
  source                  = "../network"
  name                    = var.name
  cidr_block              = var.vpc_cidr
  az_count                = var.az_count
  single_nat_gateway      = var.single_nat_gateway
  flow_log_retention_days = var.log_retention_days
  cluster_name            = var.enable_eks ? var.name : null
}

module "ecr" {
  source       = "../ecr"
  repositories = toset([for name in keys(local.registry) : "flotilla/${name}"])
  force_delete = var.ecr_force_delete
}

module "eks" {
  count                  = var.enable_eks ? 1 : 0
  source                 = "../eks"
  name                   = var.name
  subnet_ids             = module.network.private_subnet_ids
  kubernetes_version     = var.eks.kubernetes_version
  endpoint_public_access = var.eks.endpoint_public_access
  public_access_cidrs    = var.eks.public_access_cidrs
  node_instance_types    = var.eks.node_instance_types
  node_min_size          = var.eks.node_min_size
  node_desired_size      = var.eks.node_desired_size
  node_max_size          = var.eks.node_max_size
  log_retention_days     = var.log_retention_days
  admin_principal_arns   = var.eks.admin_principal_arns
  # The deploy role, where the environment has one: its namespace only; the RBAC group carries
  # what AmazonEKSEditPolicy lacks (PodMonitors), bound in deploy/flux/infrastructure.
  namespace_editors = { for arn in [lookup(module.github_oidc.role_arns, local.deploy_role, null)] : "deploy" => {
    principal_arn     = arn
    namespaces        = [local.declared.namespace]
    kubernetes_groups = ["flotilla-deployers"]
  } if contains(keys(local.role_subjects), "deploy") }
}

module "ecs_cluster" {
  count               = var.enable_ecs ? 1 : 0
  source              = "../ecs-cluster"
  name                = var.name
  vpc_id              = module.network.vpc_id
  public_subnet_ids   = module.network.public_subnet_ids
  certificate_arn     = var.certificate_arn
  deletion_protection = var.alb_deletion_protection
}

# One key for the ECS services' logs, usable only for their log groups.
module "ecs_logs_key" {
  count           = var.enable_ecs ? 1 : 0
  source          = "../kms-key"
  description     = "${var.name}: ECS service logs"
  log_group_names = [for name in local.ecs_names : "/ecs/${var.name}-${name}"]
}

module "service" {
  for_each              = local.ecs
  source                = "../ecs-service"
  name                  = each.key
  name_prefix           = var.name
  cluster_arn           = module.ecs_cluster[0].cluster_arn
  image                 = "${module.ecr.repository_urls["flotilla/${each.key}"]}:${each.value.image_tag}"
  port                  = each.value.port
  protocol              = each.value.protocol
  health_check_path     = each.value.health_check_path
  environment           = each.value.environment
  cpu                   = each.value.cpu
  memory                = each.value.memory
  desired_count         = each.value.desired_count
  vpc_id                = module.network.vpc_id
  subnet_ids            = module.network.private_subnet_ids
  alb_security_group_id = module.ecs_cluster[0].alb_security_group_id
  listener_arn          = module.ecs_cluster[0].listener_arn
  listener_is_https     = module.ecs_cluster[0].https
  path_patterns         = each.value.path_patterns
  priority              = each.value.priority
  log_retention_days    = var.log_retention_days
  log_kms_key_arn       = module.ecs_logs_key[0].arn
}
