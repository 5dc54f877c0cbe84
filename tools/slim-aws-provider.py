#!/usr/bin/env python3
"""Turn a writable copy of the terraform-provider-aws module into a *slim* provider.

The full provider registers ~260 service packages (~45 CPU-minutes and 9 GB to link, 900 MB);
Flotilla's code uses about ten. Two generated files decide what gets compiled in:
  internal/provider/sdkv2/service_packages_gen.go  the service packages the provider registers
  internal/conns/awsclient_gen.go                  one typed AWS SDK client getter per service
This keeps the requested packages plus every internal/service package they import (their
closure), and only the client getters some kept code calls, so the linker drops the rest.
Run inside the copy: slim-aws-provider.py ec2 ecs ...   (the list comes from aws-provider-services.py)
"""
import glob
import os
import re
import sys

SERVICE_IMPORT = re.compile(r'"github\.com/hashicorp/terraform-provider-aws/internal/service/([a-z0-9]+)[/"]')
GETTER_CALL = re.compile(r"\.([A-Z][A-Za-z0-9]*Client)\(ctx\)")
GETTER_DEF = re.compile(r"func \(c \*AWSClient\) ([A-Za-z0-9]+)\(")
SDK_IMPORT = re.compile(r'^\s*(?:(\w+) )?"github\.com/aws/aws-sdk-go-v2/service/([^"]+)"')


def go_sources(folder):
    return [p for p in glob.glob(os.path.join(folder, "**", "*.go"), recursive=True) if not p.endswith("_test.go")]


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def closure(wanted):
    kept, todo = set(), list(wanted)
    while todo:
        pkg = todo.pop()
        folder = os.path.join("internal/service", pkg)
        if pkg in kept:
            continue
        if not os.path.isdir(folder):
            sys.exit(f"slim-aws-provider: no service package {pkg}")
        kept.add(pkg)
        for path in go_sources(folder):
            todo += SERVICE_IMPORT.findall(read(path))
    return kept


def keep_registrations(kept):
    path = "internal/provider/sdkv2/service_packages_gen.go"
    lines = []
    for line in read(path).split("\n"):
        imp = re.search(r'internal/service/([a-z0-9]+)"', line)
        reg = re.match(r"\s*([a-z0-9]+)\.ServicePackage\(ctx\),", line)
        name = (imp or reg).group(1) if (imp or reg) else None
        if name is None or name in kept:
            lines.append(line)
    write(path, "\n".join(lines))


def keep_client_getters(kept):
    path = "internal/conns/awsclient_gen.go"
    callers = [p for pkg in kept for p in go_sources(os.path.join("internal/service", pkg))]
    callers += [p for p in go_sources("internal") if "/service/" not in p and "/acctest/" not in p and not p.endswith(path)]
    used = set()
    for p in callers:
        used |= set(GETTER_CALL.findall(read(p)))
    head, body = read(path).split("\n)\n", 1)
    funcs = re.split(r"(?=^func )", body, flags=re.M)
    kept_funcs = [funcs[0]] + [fn for fn in funcs[1:] if (m := GETTER_DEF.match(fn)) is None or m.group(1) in used]
    body = "".join(kept_funcs)
    imports = []
    for line in head.split("\n"):
        m = SDK_IMPORT.match(line)
        if m and not re.search(r"\b" + re.escape(m.group(1) or m.group(2).rsplit("/", 1)[-1]) + r"\.", body):
            continue
        imports.append(line)
    write(path, "\n".join(imports) + "\n)\n" + body)
    return len(kept_funcs) - 1, len(funcs) - 1


def main():
    if len(sys.argv) < 2 or not os.path.isfile("internal/conns/awsclient_gen.go"):
        sys.exit("usage: run inside a copy of terraform-provider-aws: slim-aws-provider.py SERVICE...")
    kept = closure(sys.argv[1:])
    keep_registrations(kept)
    getters, total = keep_client_getters(kept)
    print(f"slim-aws-provider: {len(kept)} service packages ({' '.join(sorted(kept))}), {getters} of {total} SDK clients")


if __name__ == "__main__":
    main()
