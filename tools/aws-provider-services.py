#!/usr/bin/env python3
"""Print the terraform-provider-aws service packages the Terraform code under a folder needs.

Every `resource`, `data` and `ephemeral` block of an `aws_*` type in the *.tf files is looked up in
the provider's generated registrations (internal/service/<pkg>/service_package_gen.go,
`TypeName: "aws_..."`), so the slim provider build (slim-aws-provider.py) follows the code and
never a hand-kept list. A type no package registers is an error naming it.
usage: aws-provider-services.py PROVIDER_MODULE_DIR TERRAFORM_DIR   -> "dynamodb ec2 ..." on stdout
"""
import glob
import os
import re
import sys

BLOCK = re.compile(r'^\s*(?:resource|data|ephemeral)\s+"(aws_[a-z0-9_]+)"', re.M)
TYPE_NAME = re.compile(r'TypeName:\s+"(aws_[a-z0-9_]+)"')


def used_types(tf_dir):
    types = set()
    for path in glob.glob(os.path.join(tf_dir, "**", "*.tf"), recursive=True):
        if "/.terraform/" in path:
            continue
        with open(path, encoding="utf-8") as f:
            types |= set(BLOCK.findall(f.read()))
    return types


def registrations(module_dir):
    owner = {}
    for path in glob.glob(os.path.join(module_dir, "internal/service/*/service_package_gen.go")):
        pkg = os.path.basename(os.path.dirname(path))
        with open(path, encoding="utf-8") as f:
            for t in TYPE_NAME.findall(f.read()):
                owner.setdefault(t, set()).add(pkg)
    return owner


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: aws-provider-services.py PROVIDER_MODULE_DIR TERRAFORM_DIR")
    module_dir, tf_dir = sys.argv[1:]
    types = used_types(tf_dir)
    if not types:
        sys.exit(f"aws-provider-services: no aws_* resource or data source under {tf_dir}")
    owner = registrations(module_dir)
    unknown = sorted(t for t in types if t not in owner)
    if unknown:
        sys.exit("aws-provider-services: no service package registers " + ", ".join(unknown))
    print(" ".join(sorted({p for t in types for p in owner[t]})))


if __name__ == "__main__":
    main()
