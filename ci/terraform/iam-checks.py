#!/usr/bin/env python3
"""Print checkov's IAM checks for Terraform plans, comma-separated (for `checkov --check`).

Run with the Python of checkov's venv. The list is checkov's own (every registered check whose
categories include IAM), so a checkov upgrade brings its new IAM checks without an edit here.
"""
from checkov.common.models.enums import CheckCategories
from checkov.terraform.checks.resource.registry import resource_registry
from checkov.terraform.checks.data.registry import data_registry

ids = set()
for registry in (resource_registry, data_registry):
    for checks in registry.checks.values():
        for check in checks:
            if CheckCategories.IAM in check.categories:
                ids.add(check.id)
if not ids:
    raise SystemExit("checkov registers no IAM checks: is this checkov's venv?")
print(",".join(sorted(ids)))
