# An EKS cluster whose API endpoint is private by default, Kubernetes Secrets envelope-encrypted
# with a KMS key of its own, every control-plane log type sent to CloudWatch, a managed node group
# in the private subnets (IMDSv2 only, encrypted volumes, no public IPs) and an IAM OIDC provider
# so pods get AWS credentials per ServiceAccount (IRSA) instead of the nodes' role. Who reaches the
# Kubernetes API is given by access entries only (access.tf); the add-ons the fleet needs are in addons.tf.
data "aws_partition" "current" {}

locals {
  partition = data.aws_partition.current.partition
  log_group = "/aws/eks/${var.name}/cluster"
  log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
}

module "key" {
  source          = "../kms-key"
  description     = "${var.name}: Kubernetes Secrets envelope encryption and control-plane logs"
  alias           = "${var.name}-eks"
  log_group_names = [local.log_group]
}

# Created before the cluster so its retention and key apply from the first log line.
resource "aws_cloudwatch_log_group" "cluster" {
  name              = local.log_group
  retention_in_days = var.log_retention_days
  kms_key_id        = module.key.arn
}

resource "aws_iam_role" "cluster" {
  name = "${var.name}-eks-cluster"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "eks.amazonaws.com" }
      Action    = ["sts:AssumeRole", "sts:TagSession"]
    }]
  })
}

resource "aws_iam_role_policy_attachment" "cluster" {
  role       = aws_iam_role.cluster.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonEKSClusterPolicy"
}

resource "aws_eks_cluster" "this" {
  name                      = var.name
  version                   = var.kubernetes_version
  role_arn                  = aws_iam_role.cluster.arn
  enabled_cluster_log_types = local.log_types

  # Access entries only (no aws-auth ConfigMap), and no implicit cluster-admin for whoever
  # creates the cluster (the apply role): admins are named (access.tf).
  access_config {
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = false
  }

  vpc_config {
    subnet_ids              = var.subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = var.endpoint_public_access
    public_access_cidrs     = var.endpoint_public_access ? var.public_access_cidrs : null
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = module.key.arn
    }
  }

  depends_on = [aws_iam_role_policy_attachment.cluster, aws_cloudwatch_log_group.cluster]

  lifecycle {
    precondition {
      condition     = !var.endpoint_public_access || length(var.public_access_cidrs) > 0
      error_message = "endpoint_public_access needs public_access_cidrs: the networks allowed to reach the API server."
    }
  }
}

# IRSA: pods assume IAM roles through their ServiceAccount's projected token.
resource "aws_iam_openid_connect_provider" "irsa" {
  url            = aws_eks_cluster.this.identity[0].oidc[0].issuer
  client_id_list = ["sts.amazonaws.com"]
}
