# The Flotilla services come from the service registry (scripts/registry.ts reads each service's
# package.json "flotilla" manifest); fleet.json is its output, regenerated and compared in CI, so
# this code never keeps a list of its own.
locals {
  registry = { for m in jsondecode(file("${path.module}/../../fleet.json")) : m.name => m }

  unknown_services = sort(setsubtract(setunion(keys(var.services), keys(local.ecs_fleet)), keys(local.registry)))

  # The ALB speaks gRPC only on its HTTPS listener: without a certificate, gRPC members stay off ECS.
  https        = var.certificate_arn != null
  ecs_names    = var.enable_ecs ? sort([for name, m in local.registry : name if m.protocol == "http" || local.https]) : []
  ecs_skipped  = var.enable_ecs ? sort(setsubtract(keys(local.registry), local.ecs_names)) : []
  alb_dns_name = try(module.ecs_cluster[0].alb_dns_name, "")

  # The fleet's settings, then the environment's (attributes it leaves null keep the fleet's).
  ecs_settings = { for name in local.ecs_names : name => merge(
    try(local.ecs_fleet[name], {}),
    try({ for k, v in var.services[name] : k => v if v != null }, {}),
  ) }

  ecs = { for i, name in local.ecs_names : name => {
    protocol          = local.registry[name].protocol
    port              = try(local.ecs_settings[name].port, local.registry[name].port)
    health_check_path = try(local.ecs_settings[name].health_check_path, "/readyz")
    path_patterns     = try(local.ecs_settings[name].path_patterns, ["/${name}", "/${name}/*"])
    environment       = try(local.ecs_settings[name].environment, {})
    desired_count     = try(local.ecs_settings[name].desired_count, var.desired_count)
    cpu               = try(local.ecs_settings[name].cpu, 256)
    memory            = try(local.ecs_settings[name].memory, 512)
    image_tag         = coalesce(try(local.ecs_settings[name].image_tag, null), var.image_tag, local.registry[name].version)
    # Specific paths first; the catch-all ("/*") last.
    priority = contains(try(local.ecs_settings[name].path_patterns, []), "/*") ? 1000 : 100 + i
  } }
}
