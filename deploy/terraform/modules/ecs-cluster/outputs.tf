output "cluster_arn" {
  description = "ARN of the ECS cluster."
  value       = aws_ecs_cluster.this.arn
}

output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "listener_arn" {
  description = "The listener services add their rules to: HTTPS when there is a certificate, else HTTP."
  value       = local.https ? aws_lb_listener.https[0].arn : aws_lb_listener.http.arn
}

output "https" {
  description = "Whether the services are served over HTTPS (a certificate was given)."
  value       = local.https
}

output "alb_security_group_id" {
  description = "Security group of the ALB: the only source the services accept."
  value       = aws_security_group.alb.id
}

output "alb_dns_name" {
  description = "DNS name of the load balancer (point the domain's alias record at it)."
  value       = aws_lb.this.dns_name
}

output "alb_arn" {
  description = "ARN of the load balancer."
  value       = aws_lb.this.arn
}
