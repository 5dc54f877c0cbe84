# tflint for deploy/terraform (check.sh tflint). Every rule of the bundled terraform ruleset:
# naming, documented and typed variables and outputs, standard module structure, unused
# declarations, pinned required_providers/required_version. The AWS ruleset plugin is a separate
# download from GitHub, which CI cannot reach; checkov covers the AWS-specific rules instead.
config {
  call_module_type = "local"
}

plugin "terraform" {
  enabled = true
  preset  = "all"
}
