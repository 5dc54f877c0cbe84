output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = aws_eks_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the EKS cluster."
  value       = aws_eks_cluster.this.arn
}

output "cluster_endpoint" {
  description = "API server endpoint (private unless endpoint_public_access)."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_security_group_id" {
  description = "The security group EKS created for the control plane and the nodes."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}

output "oidc_provider_arn" {
  description = "IAM OIDC provider of the cluster, for IRSA role trust policies."
  value       = aws_iam_openid_connect_provider.irsa.arn
}

output "oidc_issuer" {
  description = "OIDC issuer URL of the cluster (the `sub` of IRSA tokens is system:serviceaccount:NS:NAME)."
  value       = aws_eks_cluster.this.identity[0].oidc[0].issuer
}

output "kms_key_arn" {
  description = "KMS key encrypting Kubernetes Secrets and the control-plane logs."
  value       = module.key.arn
}

output "node_role_arn" {
  description = "IAM role of the managed nodes."
  value       = aws_iam_role.node.arn
}

output "kubernetes_version" {
  description = "Kubernetes version of the control plane."
  value       = aws_eks_cluster.this.version
}

output "ebs_csi_role_arn" {
  description = "IRSA role of the EBS CSI driver's controller."
  value       = aws_iam_role.ebs_csi.arn
}

output "access_entry_principals" {
  description = "Principals with access entries: admins (cluster-admin) and editors by label (namespace-scoped)."
  value = {
    admins  = sort([for k, e in aws_eks_access_entry.this : e.principal_arn if startswith(k, "admin ")])
    editors = { for k, e in aws_eks_access_entry.this : trimprefix(k, "editor ") => e.principal_arn if startswith(k, "editor ") }
  }
}

output "access_entry_namespaces" {
  description = "The namespaces each editor (by label) is limited to."
  value       = { for label, e in var.namespace_editors : label => e.namespaces }
}
