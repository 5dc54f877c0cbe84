#!/usr/bin/env python3
"""Write each module's input and output tables into its README.md, from the code.

The tables go between <!-- BEGIN_TF_DOCS --> and <!-- END_TF_DOCS --> (terraform-docs' markers, so
a fork may switch to it). Variables and outputs are read by HashiCorp's terraform-config-inspect
(on PATH), the parser Terraform itself uses for module metadata: no regex over HCL here.
usage: docs.py [--check]   --check: change nothing, fail naming every README that is stale
"""
import glob
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BEGIN, END = "<!-- BEGIN_TF_DOCS -->", "<!-- END_TF_DOCS -->"


def cell(text):
    return re.sub(r"\s+", " ", str(text)).strip().replace("|", "\\|")


def code(text):
    return f"`{cell(text)}`" if text not in (None, "") else ""


def tables(module_dir):
    out = subprocess.run(["terraform-config-inspect", "--json", module_dir], check=True, capture_output=True, text=True)
    meta = json.loads(out.stdout)
    errors = [d for d in meta.get("diagnostics") or [] if d.get("severity") == "error"]
    if errors:
        sys.exit(f"docs.py: {module_dir}: {errors[0].get('summary')}: {errors[0].get('detail')}")
    variables = sorted(meta["variables"].values(), key=lambda v: (not v["required"], v["name"]))
    lines = ["## Inputs", ""]
    if variables:
        lines += ["| Name | Description | Type | Default | Required |", "|---|---|---|---|:---:|"]
        for v in variables:
            default = "" if v["required"] else code(json.dumps(v.get("default")))
            lines.append(f"| `{v['name']}` | {cell(v.get('description', ''))} | {code(v.get('type', 'any'))} | {default} | {'yes' if v['required'] else 'no'} |")
    else:
        lines.append("No inputs.")
    lines += ["", "## Outputs", ""]
    outputs = sorted(meta["outputs"].values(), key=lambda o: o["name"])
    if outputs:
        lines += ["| Name | Description |", "|---|---|"]
        lines += [f"| `{o['name']}` | {cell(o.get('description', ''))} |" for o in outputs]
    else:
        lines.append("No outputs.")
    return "\n".join(lines)


def main():
    check = sys.argv[1:] == ["--check"]
    if sys.argv[1:] not in ([], ["--check"]):
        sys.exit("usage: docs.py [--check]")
    stale = []
    for module_dir in sorted(glob.glob(os.path.join(ROOT, "modules", "*"))):
        readme = os.path.join(module_dir, "README.md")
        if not os.path.isfile(readme):
            sys.exit(f"docs.py: {readme} is missing: every module has a README with {BEGIN} ... {END}")
        with open(readme, encoding="utf-8") as f:
            text = f.read()
        if BEGIN not in text or END not in text:
            sys.exit(f"docs.py: {readme} lacks the markers {BEGIN} and {END}")
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        new = f"{head}{BEGIN}\n{tables(module_dir)}\n{END}{tail}"
        if new != text:
            stale.append(os.path.relpath(readme, ROOT))
            if not check:
                with open(readme, "w", encoding="utf-8") as f:
                    f.write(new)
    if check and stale:
        sys.exit("docs.py: stale tables (run deploy/terraform/scripts/docs.py): " + ", ".join(stale))
    print(("up to date: " if check else "written: ") + (", ".join(stale) if stale and not check else "all module READMEs"))


if __name__ == "__main__":
    main()
