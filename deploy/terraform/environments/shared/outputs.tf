output "platform" {
  description = "Everything the platform module outputs (VPC, subnets, repositories, cluster, ALB, roles)."
  value       = module.platform
}
