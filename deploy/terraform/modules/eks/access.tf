# Who may use the Kubernetes API, as EKS access entries with AWS-managed access policies:
#   admin  ARN     AmazonEKSClusterAdminPolicy on the whole cluster (people, break-glass roles)
#   editor LABEL   AmazonEKSEditPolicy in its namespaces only (the deploy role: helm upgrade of the
#                  chart in its namespace), plus the RBAC groups it is given
# The managed node group's role gets its entry from EKS itself.
locals {
  access = merge(
    { for arn in var.admin_principal_arns : "admin ${arn}" => {
      principal_arn     = arn
      policy            = "AmazonEKSClusterAdminPolicy"
      scope             = "cluster"
      namespaces        = null
      kubernetes_groups = []
    } },
    { for label, e in var.namespace_editors : "editor ${label}" => {
      principal_arn     = e.principal_arn
      policy            = "AmazonEKSEditPolicy"
      scope             = "namespace"
      namespaces        = e.namespaces
      kubernetes_groups = e.kubernetes_groups
    } },
  )
}

resource "aws_eks_access_entry" "this" {
  for_each          = local.access
  cluster_name      = aws_eks_cluster.this.name
  principal_arn     = each.value.principal_arn
  type              = "STANDARD"
  kubernetes_groups = each.value.kubernetes_groups
}

resource "aws_eks_access_policy_association" "this" {
  for_each      = local.access
  cluster_name  = aws_eks_cluster.this.name
  principal_arn = aws_eks_access_entry.this[each.key].principal_arn
  policy_arn    = "arn:${local.partition}:eks::aws:cluster-access-policy/${each.value.policy}"
  access_scope {
    type       = each.value.scope
    namespaces = each.value.namespaces
  }
}
