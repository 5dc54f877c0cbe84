import { describe, expect, it } from "vitest";
import { python3 } from "../lib/python.ts";
import { scratch } from "../lib/scratch.ts";

const script = new URL("plan-facts.py", import.meta.url).pathname;
const tmp = scratch("plan-facts");
const file = (name: string, value: unknown) => tmp.write(name, JSON.stringify(value));
const change = (address: string, actions: string[]) => ({ address, change: { actions } });
const eks = "module.platform.module.eks[0].";
const prod = [
  ...[0, 1, 2].map((i) => change(`module.platform.module.network.aws_nat_gateway.this[${i}]`, ["create"])),
  change('module.platform.module.service["routeguide"].aws_ecs_service.this', ["create"]),
  change("module.platform.module.ecs_cluster[0].aws_lb_listener.https[0]", ["create"]),
  change(`${eks}aws_eks_addon.metrics_server`, ["create"]),
  change(`${eks}aws_eks_addon.ebs_csi`, ["create"]),
  change(`${eks}aws_eks_access_policy_association.this["editor deploy"]`, ["create"]),
];

describe("ci/terraform/plan-facts.py", () => {
  it("creates counts only created resources", async () => {
    const plan = file("p.json", { resource_changes: [change("a", ["create"]), change("b", ["update"]), change("c", ["create"])] });
    expect(await python3([script, "creates", plan])).toEqual({ code: 0, stdout: "2\n", stderr: "" });
  });

  it("prod-plan passes on prod's shape and names what is missing", async () => {
    expect(await python3([script, "prod-plan", file("prod.json", { resource_changes: prod })])).toMatchObject({ code: 0 });
    const noAddon = prod.filter((c) => !c.address.endsWith("ebs_csi"));
    expect(await python3([script, "prod-plan", file("bad.json", { resource_changes: noAddon })])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("aws_eks_addon.ebs_csi is not created"),
    });
  });

  it("dev-outputs checks the outputs against fleet.json and environments.json", async () => {
    const fleet = file("fleet.json", [
      { name: "hello", protocol: "http" },
      { name: "routeguide", protocol: "grpc" },
    ]);
    const envs = file("envs.json", { environments: { dev: { roles: ["apply", "deploy"] } } });
    const outputs = {
      vpc_id: "vpc-1",
      ecr_repository_urls: { "flotilla/hello": "x", "flotilla/routeguide": "y" },
      ecs_services: { hello: {} },
      ecs_skipped: ["routeguide"],
      eks_cluster_name: "flotilla-dev",
      alb_dns_name: "alb",
      github_role_arns: { "flotilla-dev-github-apply": "a", "flotilla-dev-github-deploy": "d" },
    };
    expect(await python3([script, "dev-outputs", file("out.json", outputs), fleet, envs])).toMatchObject({ code: 0 });
    const lost = { ...outputs, github_role_arns: { "flotilla-dev-github-apply": "a" } };
    expect(await python3([script, "dev-outputs", file("lost.json", lost), fleet, envs])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("github_role_arns"),
    });
  });
});
