"""Assertions against a live Prometheus (HTTP API), for the observability tier.

usage: prom-assert.py URL targets JOB=COUNT...   every active target is up, COUNT of them per JOB
       prom-assert.py URL records RULES_DIR      every recording rule has at least one series now
       prom-assert.py URL panels DASHBOARD...    every panel query of each dashboard returns data
       prom-assert.py URL value EXPR             prints the first sample's value (exit 1 if none)
Prints one line per failure; exit 1 if any.
"""

import json
import pathlib
import sys
import urllib.parse
import urllib.request

import yaml

url, cmd, args = sys.argv[1], sys.argv[2], sys.argv[3:]


def api(path: str, **params: str) -> dict:
    q = urllib.parse.urlencode(params)
    with urllib.request.urlopen(f"{url}/api/v1/{path}?{q}", timeout=10) as r:
        body = json.load(r)
    if body.get("status") != "success":
        raise RuntimeError(f"{path} {params}: {body}")
    return body["data"]


def query(expr: str) -> list:
    return api("query", query=expr)["result"]


failures: list[str] = []
if cmd == "targets":
    want = dict(a.split("=", 1) for a in args)
    active = api("targets", state="active")["activeTargets"]
    for t in active:
        if t["health"] != "up":
            failures.append(f"{t['labels'].get('job')} {t['labels'].get('instance')}: {t['health']} {t.get('lastError', '')}")
    for job, n in want.items():
        got = sum(1 for t in active if t["labels"].get("job") == job)
        if got != int(n):
            failures.append(f"job {job}: {got} targets, want {n}")
    extra = {t["labels"].get("job") for t in active} - set(want)
    if extra:
        failures.append(f"unexpected jobs {sorted(extra)}")
    print(f"{len(active)} targets checked")
elif cmd == "records":
    names = []
    for f in sorted(pathlib.Path(args[0]).glob("*.yml")):
        for g in yaml.safe_load(f.read_text())["groups"]:
            names += [r["record"] for r in g["rules"] if "record" in r]
    for name in names:
        if not query(name):
            failures.append(f"recording rule {name}: no series")
    print(f"{len(names)} recording rules checked")
elif cmd == "panels":
    n = 0
    for f in args:
        d = json.loads(pathlib.Path(f).read_text())
        for p in d["panels"]:
            for t in p.get("targets", []):
                n += 1
                expr = t["expr"].replace("$__rate_interval", "1m")
                if not query(expr):
                    failures.append(f"{d['uid']} / {p['title']}: no data for {expr}")
    print(f"{n} panel queries checked")
elif cmd == "value":
    r = query(args[0])
    if not r:
        failures.append(f"no data for {args[0]}")
    else:
        print(r[0]["value"][1])
else:
    sys.exit(f"unknown command {cmd}")

for f in failures:
    print(f)
sys.exit(1 if failures else 0)
