# How each Flotilla service runs on ECS where it differs from the defaults (/readyz on the
# registry's port, paths /NAME and /NAME/*): the ALB counterpart of the chart's per-service values.
# Keys are registry names; an environment's `services` input overrides any of these.
locals {
  ecs_fleet = {
    hello = { path_patterns = ["/hello", "/headers"] }
    stats = { path_patterns = ["/stats", "/stats/*"] }
    store = { path_patterns = ["/greeting", "/users*", "/posts*", "/session*"] }
    # gRPC: every RPC of the service is a path under its full name.
    routeguide = { path_patterns = ["/routeguide.RouteGuide/*"] }
    # The dashboard: nginx on 8080 in its image (the registry's 3050 is the local Vite port), with
    # no readiness of its own, so /healthz. It is the catch-all. Its nginx must resolve its
    # upstreams at start: the ALB, which routes /stats and /hello to those services anyway.
    web = {
      port              = 8080
      health_check_path = "/healthz"
      path_patterns     = ["/*"]
      environment = {
        WEB_PORT           = "8080"
        WEB_STATS_UPSTREAM = "${local.alb_dns_name}:80"
        WEB_HELLO_UPSTREAM = "${local.alb_dns_name}:80"
      }
    }
  }
}
