"""What tier terraform asserts about a plan or the applied outputs (`tofu show -json` / `tofu
output -json`); each prints what it found and exits 1 naming what is wrong.

  plan-facts.py creates PLAN_JSON                    the number of resources the plan creates
  plan-facts.py dev-outputs OUTPUTS FLEET ENVS       dev's `platform` output: a VPC, a repository
                                                     per member, ECS services for HTTP members
                                                     only, EKS, the ALB, environments.json's roles
  plan-facts.py prod-plan PLAN_JSON                  prod: 3 NAT gateways, routeguide on ECS behind
                                                     HTTPS, the EKS add-ons and access entries
"""

import json
import sys


def created(plan: dict) -> list[str]:
    return [c["address"] for c in plan["resource_changes"] if c["change"]["actions"] == ["create"]]


def expect(ok: bool, what: str) -> None:
    if not ok:
        sys.exit(what)


def dev_outputs(outputs: str, fleet_json: str, environments_json: str) -> None:
    out, fleet = json.load(open(outputs)), json.load(open(fleet_json))
    expect(out["vpc_id"].startswith("vpc-"), f"vpc_id {out['vpc_id']}")
    expect(sorted(out["ecr_repository_urls"]) == sorted(f"flotilla/{m['name']}" for m in fleet),
           f"ecr_repository_urls {sorted(out['ecr_repository_urls'])}")
    expect(sorted(out["ecs_services"]) == sorted(m["name"] for m in fleet if m["protocol"] == "http"),
           f"ecs_services {sorted(out['ecs_services'])}")
    expect(out["ecs_skipped"] == sorted(m["name"] for m in fleet if m["protocol"] == "grpc"), f"ecs_skipped {out['ecs_skipped']}")
    expect(out["eks_cluster_name"] == "flotilla-dev" and bool(out["alb_dns_name"]), "eks_cluster_name or alb_dns_name")
    roles = json.load(open(environments_json))["environments"]["dev"]["roles"]
    expect(sorted(out["github_role_arns"]) == sorted(f"flotilla-dev-github-{r}" for r in roles),
           f"github_role_arns {sorted(out['github_role_arns'])}, environments.json says {roles}")
    print(f"dev outputs: {len(out['ecr_repository_urls'])} repositories, ECS {sorted(out['ecs_services'])}, roles {roles}")


def prod_plan(plan: dict) -> None:
    made = created(plan)
    nats = [a for a in made if a.startswith("module.platform.module.network.aws_nat_gateway.")]
    expect(len(nats) == 3, f"{len(nats)} NAT gateways, want 3: {nats}")
    expect(any('service["routeguide"]' in a for a in made), "routeguide not on ECS behind HTTPS")
    expect("module.platform.module.ecs_cluster[0].aws_lb_listener.https[0]" in made, "no HTTPS listener")
    eks = "module.platform.module.eks[0]."
    for a in ("aws_eks_addon.metrics_server", "aws_eks_addon.ebs_csi", 'aws_eks_access_policy_association.this["editor deploy"]'):
        expect(eks + a in made, f"{eks + a} is not created")
    print(f"prod plan: {len(made)} to create, {len(nats)} NAT gateways, routeguide on ECS, EKS add-ons and access entries")


if __name__ == "__main__":
    match sys.argv[1:]:
        case ["creates", path]:
            print(len(created(json.load(open(path)))))
        case ["dev-outputs", outputs, fleet, environments]:
            dev_outputs(outputs, fleet, environments)
        case ["prod-plan", path]:
            prod_plan(json.load(open(path)))
        case _:
            sys.exit(__doc__)
