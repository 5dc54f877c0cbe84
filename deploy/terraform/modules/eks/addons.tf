# The cluster add-ons the chart needs that EKS manages itself (docs/terraform.md: the ingress
# controller and the prometheus-operator CRDs come from deploy/flux/infrastructure instead):
#   metrics-server      resource metrics for the HorizontalPodAutoscalers
#   aws-ebs-csi-driver  volumes for the StatefulSet's PersistentVolumeClaims, its controller on an
#                       IRSA role holding AWS's managed policy for the driver and nothing else
# Versions: EKS's default for the cluster's Kubernetes version (moves with kubernetes_version).
# After the node group: an add-on's pods need nodes before EKS reports it active.
locals {
  irsa_issuer        = replace(aws_iam_openid_connect_provider.irsa.url, "https://", "")
  ebs_csi_sa         = "ebs-csi-controller-sa"
  ebs_csi_sa_subject = "system:serviceaccount:kube-system:${local.ebs_csi_sa}"
}

resource "aws_eks_addon" "metrics_server" {
  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = "metrics-server"
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"
  depends_on                  = [aws_eks_node_group.default]
}

# Only the driver's controller ServiceAccount in kube-system, through the cluster's own issuer.
resource "aws_iam_role" "ebs_csi" {
  name = "${var.name}-ebs-csi"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.irsa.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${local.irsa_issuer}:aud" = "sts.amazonaws.com"
          "${local.irsa_issuer}:sub" = local.ebs_csi_sa_subject
        }
      }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "ebs_csi" {
  role       = aws_iam_role.ebs_csi.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
}

resource "aws_eks_addon" "ebs_csi" {
  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = "aws-ebs-csi-driver"
  service_account_role_arn    = aws_iam_role.ebs_csi.arn
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"
  depends_on                  = [aws_eks_node_group.default, aws_iam_role_policy_attachment.ebs_csi]
}
