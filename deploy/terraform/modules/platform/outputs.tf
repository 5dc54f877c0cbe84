output "vpc_id" {
  description = "ID of the VPC."
  value       = module.network.vpc_id
}

output "private_subnet_ids" {
  description = "Private subnets (tasks, nodes)."
  value       = module.network.private_subnet_ids
}

output "public_subnet_ids" {
  description = "Public subnets (load balancer, NAT)."
  value       = module.network.public_subnet_ids
}

output "ecr_repository_urls" {
  description = "Repository URL by repository name, one per registry member."
  value       = module.ecr.repository_urls
}

output "eks_cluster_name" {
  description = "Name of the EKS cluster (null when enable_eks is off)."
  value       = try(module.eks[0].cluster_name, null)
}

output "eks_oidc_provider_arn" {
  description = "IRSA OIDC provider of the cluster (null when enable_eks is off)."
  value       = try(module.eks[0].oidc_provider_arn, null)
}

output "alb_dns_name" {
  description = "DNS name of the ALB (null when enable_ecs is off)."
  value       = try(module.ecs_cluster[0].alb_dns_name, null)
}

output "ecs_services" {
  description = "Per ECS service: its paths, port, rule priority and image."
  value = { for name, s in local.ecs : name => {
    path_patterns = s.path_patterns
    port          = s.port
    priority      = s.priority
    image         = "${module.ecr.repository_urls["flotilla/${name}"]}:${s.image_tag}"
  } }
  precondition {
    condition     = length(local.unknown_services) == 0
    error_message = "services has settings for names the service registry does not know: ${join(", ", local.unknown_services)}."
  }
  precondition {
    condition     = !(var.enable_ecs && var.require_https) || var.certificate_arn != null
    error_message = "require_https: this environment needs certificate_arn (an ACM certificate for the ALB's domain)."
  }
}

output "ecs_skipped" {
  description = "Registry members not run on ECS, because the ALB serves gRPC only over HTTPS and there is no certificate."
  value       = local.ecs_skipped
}

output "github_role_arns" {
  description = "Role ARN by name for the GitHub workflows (the roles environments.json gives this environment)."
  value       = module.github_oidc.role_arns
  precondition {
    condition     = contains(keys(local.delivery.environments), var.environment)
    error_message = "environment ${var.environment} is not declared in environments.json (declared: ${join(", ", keys(local.delivery.environments))})."
  }
}
