provider "aws" {
  region = var.region
  # Refuse to touch any other account (a wrong profile or role fails before any change).
  allowed_account_ids = var.allowed_account_ids

  default_tags {
    tags = {
      Project     = "flotilla"
      Environment = local.environment
      ManagedBy   = "opentofu"
      Repository  = var.github_repository
    }
  }
}
