#!/usr/bin/env python3
"""Ask the local AWS API (moto) what `apply`/`destroy` of environments/dev really left behind.

Reads AWS itself (boto3), not Terraform's state or outputs: the objects exist, or are gone, with
the properties the modules promise. Prints one line per fact; exit 1 naming every failed one.
usage: aws-facts.py applied|destroyed ENDPOINT FLEET_JSON STATE_BUCKET STATE_KEY
       aws-facts.py nat-per-az ENDPOINT VPC_ID AZ_COUNT
"""
import json
import os
import sys

import boto3

ENV = "flotilla-dev"
FLEET_PATH = "deploy/terraform/fleet.json"
failures = []


def fact(ok, text):
    print(("ok    " if ok else "FAIL  ") + text)
    if not ok:
        failures.append(text)


def client(name, endpoint):
    return boto3.client(name, endpoint_url=endpoint, region_name="eu-west-1",
                        aws_access_key_id="test", aws_secret_access_key="test")


def state_resources(s3, bucket, key):
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    return json.loads(body).get("resources", [])


def applied(c, fleet, bucket, key):
    http = sorted(m["name"] for m in fleet if m["protocol"] == "http")
    s3 = c("s3")
    fact(s3.get_bucket_versioning(Bucket=bucket).get("Status") == "Enabled", "state bucket is versioned")
    rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    fact(rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms", "state bucket is KMS-encrypted")
    pab = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    fact(all(pab.values()) and len(pab) == 4, "state bucket blocks every public access path")
    fact(len(state_resources(s3, bucket, key)) > 0, f"state is in s3://{bucket}/{key}")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    fact(f"{key}.tflock" not in keys, "the S3 lock file was released")

    ec2 = c("ec2")
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [ENV]}])["Vpcs"]
    fact(len(vpcs) == 1 and vpcs[0]["CidrBlock"] == "10.10.0.0/16", "one VPC, 10.10.0.0/16")
    vpc = vpcs[0]["VpcId"] if vpcs else "none"
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
    tiers = {}
    for s in subnets:
        tier = {t["Key"]: t["Value"] for t in s.get("Tags", [])}.get("Tier")
        tiers.setdefault(tier, []).append(s)
    fact(len(tiers.get("private", [])) == 2 and len(tiers.get("public", [])) == 2, "2 public + 2 private subnets")
    fact(len({s["AvailabilityZone"] for s in tiers.get("private", [])}) == 2, "private subnets in 2 AZs")
    fact(not any(s["MapPublicIpOnLaunch"] for s in subnets), "no subnet assigns public IPs")
    nats = [n for n in ec2.describe_nat_gateways()["NatGateways"] if n["VpcId"] == vpc and n["State"] != "deleted"]
    fact(len(nats) == 1, "dev: a single NAT gateway")
    fact(len(ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [vpc]}])["FlowLogs"]) == 1, "VPC flow log on")
    open_rules = []
    for sg in ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["SecurityGroups"]:
        for p in sg["IpPermissions"]:
            if any(r.get("CidrIp") == "0.0.0.0/0" for r in p.get("IpRanges", [])):
                open_rules.append((sg["GroupName"], p.get("FromPort"), p.get("ToPort")))
    fact(bool(open_rules) and all(g == f"{ENV}-alb" and f == t and f in (80, 443) for g, f, t in open_rules),
         f"0.0.0.0/0 reaches only the ALB's 80/443: {open_rules}")

    repos = c("ecr").describe_repositories()["repositories"]
    fact(sorted(r["repositoryName"] for r in repos) == sorted(f"flotilla/{m['name']}" for m in fleet),
         "an ECR repository per registry member")
    fact(all(r["imageTagMutability"] == "IMMUTABLE" and r["imageScanningConfiguration"]["scanOnPush"] for r in repos),
         "ECR tags immutable, scan on push")

    ecs = c("ecs")
    arns = ecs.list_services(cluster=ENV)["serviceArns"]
    services = ecs.describe_services(cluster=ENV, services=arns)["services"] if arns else []
    fact(sorted(s["serviceName"] for s in services) == http, f"ECS runs every HTTP member: {http}")
    for s in services:
        td = ecs.describe_task_definition(taskDefinition=s["taskDefinition"])["taskDefinition"]
        cd = td["containerDefinitions"][0]
        fact(cd.get("readonlyRootFilesystem") is True and s["networkConfiguration"]["awsvpcConfiguration"]["assignPublicIp"] == "DISABLED",
             f"{s['serviceName']}: read-only root, no public IP")

    elb = c("elbv2")
    tgs = {t["TargetGroupName"]: t for t in elb.describe_target_groups()["TargetGroups"]}
    for name in http:
        tg = tgs.get(f"{ENV}-{name}"[:32])
        want = "/healthz" if name == "web" else "/readyz"
        fact(tg is not None and tg["HealthCheckPath"] == want, f"{name}: target group checks {want}")

    eks = c("eks").describe_cluster(name=ENV)["cluster"]
    fact(eks["resourcesVpcConfig"]["endpointPrivateAccess"] and not eks["resourcesVpcConfig"]["endpointPublicAccess"],
         "EKS endpoint private")
    fact(eks["encryptionConfig"][0]["resources"] == ["secrets"], "EKS secrets envelope-encrypted")

    iam = c("iam")
    declared = json.load(open(os.path.join(os.path.dirname(FLEET_PATH), "environments.json")))
    roles = declared["environments"]["dev"]["roles"]
    fact(sorted(r["RoleName"] for r in iam.list_roles()["Roles"] if r["RoleName"].startswith(f"{ENV}-github-"))
         == sorted(f"{ENV}-github-{r}" for r in roles), f"dev's GitHub roles are environments.json's: {roles}")
    ebs = iam.list_attached_role_policies(RoleName=f"{ENV}-ebs-csi")["AttachedPolicies"]
    fact([p["PolicyName"] for p in ebs] == ["AmazonEBSCSIDriverPolicy"], "the EBS CSI role holds AWS's driver policy only")
    for role in roles:
        trust = iam.get_role(RoleName=f"{ENV}-github-{role}")["Role"]["AssumeRolePolicyDocument"]
        if isinstance(trust, str):
            trust = json.loads(trust)
        subs = trust["Statement"][0]["Condition"]["StringEquals"]["token.actions.githubusercontent.com:sub"]
        subs = subs if isinstance(subs, list) else [subs]
        fact(all(s.startswith("repo:flotilla-e2e/flotilla:") and "*" not in s for s in subs),
             f"github-{role} trusts only this repository: {subs}")


def destroyed(c, fleet, bucket, key):
    ec2 = c("ec2")
    fact(not ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [ENV]}])["Vpcs"], "the VPC is gone")
    fact(not c("ecr").describe_repositories()["repositories"], "the ECR repositories are gone")
    fact(ENV not in c("eks").list_clusters()["clusters"], "the EKS cluster is gone")
    fact(not [a for a in c("ecs").list_clusters()["clusterArns"] if a.endswith(f"/{ENV}")
              and c("ecs").describe_clusters(clusters=[a])["clusters"][0]["status"] == "ACTIVE"], "the ECS cluster is gone")
    fact(not [r for r in c("iam").list_roles()["Roles"] if r["RoleName"].startswith(ENV)], "the IAM roles are gone")
    fact(state_resources(c("s3"), bucket, key) == [], "the state in the bucket holds no resource")


def nat_per_az(c, vpc, az_count):
    """Each private subnet egresses through a NAT gateway of its own AZ, each public one to the IGW."""
    ec2 = c("ec2")
    subnets = {s["SubnetId"]: s for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]}
    nats = {n["NatGatewayId"]: n for n in ec2.describe_nat_gateways()["NatGateways"] if n["VpcId"] == vpc}
    igws = [i["InternetGatewayId"] for i in ec2.describe_internet_gateways()["InternetGateways"]
            if any(a["VpcId"] == vpc for a in i["Attachments"])]
    fact(len(nats) == az_count, f"{az_count} NAT gateways")
    used = set()
    for rt in ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"]:
        default = next((r for r in rt["Routes"] if r.get("DestinationCidrBlock") == "0.0.0.0/0"), {})
        for assoc in rt.get("Associations", []):
            subnet = subnets.get(assoc.get("SubnetId"))
            if not subnet:
                continue
            tier = {t["Key"]: t["Value"] for t in subnet.get("Tags", [])}.get("Tier")
            az = subnet["AvailabilityZone"]
            if tier == "public":
                fact(default.get("GatewayId") in igws, f"public subnet in {az} routes to the internet gateway")
                continue
            nat = nats.get(default.get("NatGatewayId"), {})
            used.add(nat.get("NatGatewayId"))
            nat_az = subnets.get(nat.get("SubnetId"), {}).get("AvailabilityZone")
            nat_tier = {t["Key"]: t["Value"] for t in subnets.get(nat.get("SubnetId"), {}).get("Tags", [])}.get("Tier")
            fact(nat_az == az and nat_tier == "public", f"private subnet in {az} egresses through the NAT in {nat_az} ({nat_tier} subnet)")
    fact(len(used) == az_count, f"each AZ uses its own NAT gateway ({len(used)} distinct)")


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "nat-per-az":
        nat_per_az(lambda name: client(name, sys.argv[2]), sys.argv[3], int(sys.argv[4]))
        if failures:
            sys.exit(f"{len(failures)} fact(s) failed")
        return
    if len(sys.argv) != 6 or sys.argv[1] not in ("applied", "destroyed"):
        sys.exit(__doc__.strip().splitlines()[-2])
    what, endpoint, fleet_json, bucket, key = sys.argv[1:]
    global FLEET_PATH  # environments.json lies beside it
    FLEET_PATH = fleet_json
    with open(fleet_json, encoding="utf-8") as f:
        fleet = json.load(f)
    check = applied if what == "applied" else destroyed
    check(lambda name: client(name, endpoint), fleet, bucket, key)
    if failures:
        sys.exit(f"{len(failures)} fact(s) failed")


if __name__ == "__main__":
    main()
