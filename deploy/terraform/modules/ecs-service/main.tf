# One Flotilla service on Fargate behind the shared ALB: a task definition hardened like the
# Kubernetes pods (read-only root filesystem, a writable /tmp volume only, the image's non-root
# user), a service in the private subnets without public IPs that rolls back a failed deployment by
# itself, a target group whose health check is the service's readiness, a listener rule for its
# paths, a log group, and IAM roles that grant nothing beyond pulling the image and writing logs.
data "aws_region" "current" {}

locals {
  full_name = "${var.name_prefix}-${var.name}"
  grpc      = var.protocol == "grpc"
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/ecs/${local.full_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
}

resource "aws_ecs_task_definition" "this" {
  family                   = local.full_name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  volume {
    name = "tmp"
  }

  container_definitions = jsonencode([{
    name                   = var.name
    image                  = var.image
    essential              = true
    readonlyRootFilesystem = true
    privileged             = false
    portMappings           = [{ containerPort = var.port, protocol = "tcp", name = var.protocol }]
    environment            = [for k in sort(keys(var.environment)) : { name = k, value = var.environment[k] }]
    secrets                = [for k in sort(keys(var.secrets)) : { name = k, valueFrom = var.secrets[k] }]
    mountPoints            = [{ sourceVolume = "tmp", containerPath = "/tmp", readOnly = false }]
    linuxParameters        = { initProcessEnabled = false, capabilities = { drop = ["ALL"] } }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this.name
        awslogs-region        = data.aws_region.current.region
        awslogs-stream-prefix = var.name
      }
    }
  }])
}

resource "aws_lb_target_group" "this" {
  # ALB names are limited to 32 characters.
  name                 = substr(local.full_name, 0, 32)
  port                 = var.port
  protocol             = "HTTP"
  protocol_version     = local.grpc ? "GRPC" : "HTTP1"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  health_check {
    path                = local.grpc ? "/grpc.health.v1.Health/Check" : var.health_check_path
    matcher             = local.grpc ? "0" : "200"
    interval            = 10
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  lifecycle {
    precondition {
      condition     = !local.grpc || var.listener_is_https
      error_message = "A gRPC service needs the HTTPS listener (the ALB speaks gRPC over HTTP/2 with TLS only): give the cluster a certificate."
    }
  }
}

resource "aws_lb_listener_rule" "this" {
  listener_arn = var.listener_arn
  priority     = var.priority

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }

  condition {
    path_pattern {
      values = var.path_patterns
    }
  }
}

resource "aws_security_group" "this" {
  name        = local.full_name
  description = "${var.name} tasks: from the ALB only"
  vpc_id      = var.vpc_id
  tags        = { Name = local.full_name }
}

resource "aws_vpc_security_group_ingress_rule" "from_alb" {
  security_group_id            = aws_security_group.this.id
  description                  = "traffic and health checks from the ALB"
  ip_protocol                  = "tcp"
  from_port                    = var.port
  to_port                      = var.port
  referenced_security_group_id = var.alb_security_group_id
}

# HTTPS out (ECR, CloudWatch Logs, AWS APIs through the NAT); name resolution uses the VPC resolver.
resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.this.id
  description       = "HTTPS to AWS APIs and the image registry"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_ecs_service" "this" {
  name                  = var.name
  cluster               = var.cluster_arn
  task_definition       = aws_ecs_task_definition.this.arn
  desired_count         = var.desired_count
  launch_type           = "FARGATE"
  platform_version      = "LATEST"
  propagate_tags        = "SERVICE"
  wait_for_steady_state = false

  health_check_grace_period_seconds = 30

  # The delivery pipeline rolls the service (pipeline/roll-ecs: a new task definition revision with
  # the promoted digest); Terraform creates it and must not roll it back to its own revision.
  lifecycle {
    ignore_changes = [task_definition]
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.this.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.this.arn
    container_name   = var.name
    container_port   = var.port
  }

  depends_on = [aws_lb_listener_rule.this]
}
