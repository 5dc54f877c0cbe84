# The AWS provider mocked (OpenTofu has no shared mock files): what AWS would compute is
# random, except values the provider validates when they are passed on (ARNs, URLs).
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }

  mock_data "aws_region" {
    defaults = {
      region = "eu-west-1"
    }
  }

  mock_resource "aws_kms_key" {
    defaults = {
      arn    = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000"
      key_id = "00000000-0000-0000-0000-000000000000"
    }
  }

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/mock"
    }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:mock"
    }
  }

  mock_resource "aws_eks_cluster" {
    defaults = {
      arn = "arn:aws:eks:eu-west-1:123456789012:cluster/mock"
      identity = [{
        oidc = [{ issuer = "https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF" }]
      }]
    }
  }

  mock_resource "aws_iam_openid_connect_provider" {
    defaults = {
      arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF"
    }
  }

  mock_resource "aws_launch_template" {
    defaults = {
      id             = "lt-0123456789abcdef0"
      latest_version = 1
    }
  }
}

variables {
  name                 = "flotilla-test"
  subnet_ids           = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  admin_principal_arns = ["arn:aws:iam::123456789012:role/platform-admin"]
  namespace_editors = {
    deploy = {
      principal_arn     = "arn:aws:iam::123456789012:role/flotilla-test-github-deploy"
      namespaces        = ["flotilla"]
      kubernetes_groups = ["flotilla-deployers"]
    }
  }
}

run "endpoint_private_by_default" {
  command = apply

  assert {
    condition     = aws_eks_cluster.this.vpc_config[0].endpoint_private_access && !aws_eks_cluster.this.vpc_config[0].endpoint_public_access
    error_message = "the API endpoint must be private by default"
  }
  assert {
    condition     = toset(aws_eks_cluster.this.vpc_config[0].subnet_ids) == toset(var.subnet_ids) && toset(aws_eks_node_group.default.subnet_ids) == toset(var.subnet_ids)
    error_message = "control plane interfaces and nodes live in the given (private) subnets"
  }
}

run "secrets_encrypted_and_logs_on" {
  command = apply

  assert {
    condition     = aws_eks_cluster.this.encryption_config[0].resources == toset(["secrets"]) && aws_eks_cluster.this.encryption_config[0].provider[0].key_arn == module.key.arn
    error_message = "Kubernetes Secrets are envelope-encrypted with the cluster's KMS key"
  }
  assert {
    condition     = aws_eks_cluster.this.enabled_cluster_log_types == toset(["api", "audit", "authenticator", "controllerManager", "scheduler"])
    error_message = "every control-plane log type is on"
  }
  assert {
    condition     = aws_cloudwatch_log_group.cluster.name == "/aws/eks/flotilla-test/cluster" && aws_cloudwatch_log_group.cluster.kms_key_id == module.key.arn
    error_message = "the control-plane log group (EKS's own name) is created with retention and encryption"
  }
}

run "nodes_hardened_and_irsa" {
  command = apply

  assert {
    condition     = aws_launch_template.node.metadata_options[0].http_tokens == "required" && aws_launch_template.node.metadata_options[0].http_put_response_hop_limit == 1
    error_message = "IMDSv2 only, unreachable from pods"
  }
  assert {
    condition     = aws_launch_template.node.block_device_mappings[0].ebs[0].encrypted == "true"
    error_message = "node volumes are encrypted"
  }
  assert {
    condition     = aws_launch_template.node.network_interfaces[0].associate_public_ip_address == "false"
    error_message = "nodes get no public IP"
  }
  assert {
    condition     = aws_iam_openid_connect_provider.irsa.url == aws_eks_cluster.this.identity[0].oidc[0].issuer && toset(aws_iam_openid_connect_provider.irsa.client_id_list) == toset(["sts.amazonaws.com"])
    error_message = "IRSA: an IAM OIDC provider for the cluster's issuer"
  }
}

run "public_endpoint_limited_to_named_networks" {
  command = apply
  variables {
    endpoint_public_access = true
    public_access_cidrs    = ["198.51.100.0/24"]
  }

  assert {
    condition     = aws_eks_cluster.this.vpc_config[0].endpoint_public_access && aws_eks_cluster.this.vpc_config[0].public_access_cidrs == toset(["198.51.100.0/24"])
    error_message = "a public endpoint is open only to the named networks"
  }
}

run "rejects_a_public_endpoint_open_to_all" {
  command = plan
  variables {
    endpoint_public_access = true
    public_access_cidrs    = ["0.0.0.0/0"]
  }
  expect_failures = [var.public_access_cidrs]
}

run "rejects_a_public_endpoint_without_networks" {
  command = plan
  variables {
    endpoint_public_access = true
  }
  expect_failures = [aws_eks_cluster.this]
}

run "rejects_a_single_subnet" {
  command = plan
  variables {
    subnet_ids = ["subnet-0123456789abcdef0"]
  }
  expect_failures = [var.subnet_ids]
}

run "access_by_entries_only" {
  command = apply

  assert {
    condition     = aws_eks_cluster.this.access_config[0].authentication_mode == "API" && !aws_eks_cluster.this.access_config[0].bootstrap_cluster_creator_admin_permissions
    error_message = "access entries only (no aws-auth ConfigMap), and no implicit admin for the creator"
  }
  assert {
    condition     = output.access_entry_principals.admins == tolist(["arn:aws:iam::123456789012:role/platform-admin"]) && aws_eks_access_policy_association.this["admin arn:aws:iam::123456789012:role/platform-admin"].policy_arn == "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy" && aws_eks_access_policy_association.this["admin arn:aws:iam::123456789012:role/platform-admin"].access_scope[0].type == "cluster"
    error_message = "the named admins, and only they, are cluster admins"
  }
  assert {
    condition     = aws_eks_access_policy_association.this["editor deploy"].policy_arn == "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy" && aws_eks_access_policy_association.this["editor deploy"].access_scope[0].type == "namespace" && aws_eks_access_policy_association.this["editor deploy"].access_scope[0].namespaces == toset(["flotilla"])
    error_message = "the deploy role edits its namespace only (AmazonEKSEditPolicy, namespace scope)"
  }
  assert {
    condition     = aws_eks_access_entry.this["editor deploy"].principal_arn == "arn:aws:iam::123456789012:role/flotilla-test-github-deploy" && aws_eks_access_entry.this["editor deploy"].kubernetes_groups == toset(["flotilla-deployers"])
    error_message = "the deploy role's entry carries its RBAC group"
  }
  assert {
    condition     = length(aws_eks_access_entry.this) == 2 && output.access_entry_principals.editors == { deploy = "arn:aws:iam::123456789012:role/flotilla-test-github-deploy" }
    error_message = "nobody else has an access entry"
  }
}

run "addons_for_the_chart" {
  command = apply

  assert {
    condition     = aws_eks_addon.metrics_server.addon_name == "metrics-server" && aws_eks_addon.ebs_csi.addon_name == "aws-ebs-csi-driver"
    error_message = "metrics-server (HPA) and the EBS CSI driver (StatefulSet volumes) are EKS add-ons"
  }
  assert {
    condition     = aws_eks_addon.ebs_csi.service_account_role_arn == aws_iam_role.ebs_csi.arn && aws_iam_role_policy_attachment.ebs_csi.policy_arn == "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
    error_message = "the EBS CSI controller runs on its own IRSA role with AWS's driver policy"
  }
  assert {
    condition     = jsondecode(aws_iam_role.ebs_csi.assume_role_policy).Statement[0].Condition.StringEquals["oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF:sub"] == "system:serviceaccount:kube-system:ebs-csi-controller-sa" && jsondecode(aws_iam_role.ebs_csi.assume_role_policy).Statement[0].Condition.StringEquals["oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF:aud"] == "sts.amazonaws.com"
    error_message = "only the driver's controller ServiceAccount, through the cluster's issuer, may assume its role"
  }
  assert {
    condition     = jsondecode(aws_iam_role.ebs_csi.assume_role_policy).Statement[0].Principal.Federated == aws_iam_openid_connect_provider.irsa.arn
    error_message = "the EBS CSI role trusts the cluster's own OIDC provider"
  }
}

run "one_kubernetes_version" {
  command = apply
  variables {
    kubernetes_version = null
  }

  assert {
    condition     = can(regex("^1\\.[0-9]+$", aws_eks_cluster.this.version))
    error_message = "null takes the module's default (a minor version), the one place the version is kept (Renovate updates it)"
  }
}

run "rejects_a_cluster_without_admins" {
  command = plan
  variables {
    admin_principal_arns = []
  }
  expect_failures = [var.admin_principal_arns]
}

run "rejects_an_editor_without_namespaces" {
  command = plan
  variables {
    namespace_editors = { deploy = { principal_arn = "arn:aws:iam::123456789012:role/x", namespaces = [] } }
  }
  expect_failures = [var.namespace_editors]
}
