"""smoke's checks from outside, through the Ingress: each service's declared check (the chart's
services.<name>.test: a path and the body it must contain) for every service the Ingress routes.

usage: smoke-ingress.py VALUES.json BASE_URL [HOST]
    VALUES.json  the release's values (`helm get values R --all -o json`)
    BASE_URL     the Ingress's address (e.g. http://127.0.0.1:8080)
    HOST         the Host header; empty or absent: the values' ingress.host
One line per check on stderr; exit 0 when every check passed and there was one, else 1.
Unreadable values or other arguments: exit 2.
"""

import json
import sys
import urllib.request


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        with open(argv[0]) as f:
            values = json.load(f)
        services = values["services"].items()
        host = (argv[2] if len(argv) > 2 else "") or values["ingress"]["host"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        print(f"smoke: cannot read the release's values {argv[0]}: {e!r}", file=sys.stderr)
        return 2
    base = argv[1].rstrip("/")
    checked = failed = 0
    for name, svc in services:
        test, ingress = svc.get("test") or {}, svc.get("ingress") or {}
        if not (svc.get("enabled") and test.get("enabled") and ingress.get("enabled")):
            continue
        path = test["path"]
        routed = any(path == p["path"] or (p.get("pathType") == "Prefix" and path.startswith(p["path"]))
                     for p in ingress.get("paths", []))
        if not routed:
            continue
        req = urllib.request.Request(base + path, headers={"Host": host})
        try:
            with urllib.request.urlopen(req, timeout=10) as res:
                status, body = res.status, res.read().decode(errors="replace")
        except Exception as e:  # an HTTP error status or a refused connection
            status, body = getattr(e, "code", str(e)), ""
        ok = status == 200 and test.get("expectBody", "") in body
        checked += 1
        failed += not ok
        print(f"smoke: {name}: GET {path} (Host {host}) -> {status}{'' if ok else ' FAILED: ' + body[:120]}", file=sys.stderr)
    if checked == 0:
        print("smoke: no service is both tested and routed by the Ingress", file=sys.stderr)
    return 1 if failed or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
