# GitHub Actions reaches AWS with short-lived credentials (OIDC), never stored keys. Each role
# trusts only tokens issued for this repository, for sts.amazonaws.com, with one of the exact
# subjects it lists (a branch, an environment, pull requests): a fork, another repository or
# another branch of this one cannot assume it.
locals {
  issuer       = "token.actions.githubusercontent.com"
  provider_arn = var.create_provider ? aws_iam_openid_connect_provider.github[0].arn : data.aws_iam_openid_connect_provider.github[0].arn
  attachments = merge([for role, r in var.roles : {
    for arn in r.managed_policy_arns : "${role} ${arn}" => { role = role, arn = arn }
  }]...)
}

resource "aws_iam_openid_connect_provider" "github" {
  count          = var.create_provider ? 1 : 0
  url            = "https://${local.issuer}"
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_openid_connect_provider" "github" {
  count = var.create_provider ? 0 : 1
  url   = "https://${local.issuer}"
}

resource "aws_iam_role" "this" {
  for_each             = var.roles
  name                 = each.key
  max_session_duration = each.value.max_session_hours * 3600
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = local.provider_arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${local.issuer}:aud" = "sts.amazonaws.com"
          "${local.issuer}:sub" = [for s in each.value.subjects : "repo:${var.repository}:${s}"]
        }
      }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "this" {
  for_each   = local.attachments
  role       = aws_iam_role.this[each.value.role].name
  policy_arn = each.value.arn
}

resource "aws_iam_role_policy" "this" {
  for_each = { for k, r in var.roles : k => r if r.inline_policy != null }
  name     = "inline"
  role     = aws_iam_role.this[each.key].id
  policy   = each.value.inline_policy
}
