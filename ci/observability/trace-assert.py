"""Queries tier observability's trace store: the collector's file of OTLP JSON lines
(deploy/monitoring/otelcol/traces-file.yaml), one export request per line.

usage:
  trace-assert.py FILE spans TRACE_ID        the trace's spans, one a line: service kind name span parent
  trace-assert.py FILE find SERVICE NAME     trace ids with a span of SERVICE named NAME, oldest first
  trace-assert.py FILE check TRACE_ID [--services A,B] [--linked A>B] [--parent SERVICE=SPAN_ID]
                                        [--db SYSTEM,...] [--span SPAN_ID]
      --services  the trace has spans of each service (resource service.name)
      --linked    a span of B has a span of A as its parent (context propagated from A to B)
      --parent    SERVICE's server span has SPAN_ID (a caller's span outside the store) as parent
      --db        SERVICE-side client spans for each database system (db.system.name)
      --span      SPAN_ID is one of the trace's spans (a log line's spanId, say)
Exit 1 naming what does not hold.
"""

import argparse
import json
import sys

KINDS = {1: "internal", 2: "server", 3: "client", 4: "producer", 5: "consumer"}


def value(v: dict):
    return next(iter(v.values()), None) if v else None


def load(path: str) -> list[dict]:
    spans = []
    try:
        lines = open(path).read().splitlines()
    except FileNotFoundError:
        return spans
    for line in lines:
        if not line.strip():
            continue
        for rs in json.loads(line).get("resourceSpans", []):
            res = {a["key"]: value(a["value"]) for a in rs.get("resource", {}).get("attributes", [])}
            for ss in rs.get("scopeSpans", []):
                for s in ss.get("spans", []):
                    spans.append({
                        "service": res.get("service.name"),
                        "trace": s["traceId"], "span": s["spanId"], "parent": s.get("parentSpanId", ""),
                        "name": s["name"], "kind": KINDS.get(s.get("kind", 0), "unspecified"),
                        "attrs": {a["key"]: value(a["value"]) for a in s.get("attributes", [])},
                    })
    return spans


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("file")
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("spans").add_argument("trace")
    f = sub.add_parser("find")
    f.add_argument("service")
    f.add_argument("name")
    c = sub.add_parser("check")
    c.add_argument("trace")
    c.add_argument("--services", default="")
    c.add_argument("--linked", action="append", default=[])
    c.add_argument("--parent", action="append", default=[])
    c.add_argument("--db", default="")
    c.add_argument("--span", action="append", default=[])
    a = p.parse_args()
    spans = load(a.file)

    if a.cmd == "find":
        seen = []
        for s in spans:
            if s["service"] == a.service and s["name"] == a.name and s["trace"] not in seen:
                seen.append(s["trace"])
        print("\n".join(seen))
        sys.exit(0 if seen else 1)

    trace = [s for s in spans if s["trace"] == a.trace]
    if a.cmd == "spans":
        for s in trace:
            print(s["service"], s["kind"], s["name"], s["span"], s["parent"] or "-")
        sys.exit(0 if trace else 1)

    problems = []
    if not trace:
        problems.append(f"no span of trace {a.trace} in the store ({len(spans)} spans)")
    by_id = {s["span"]: s for s in trace}
    services = {s["service"] for s in trace}
    for svc in filter(None, a.services.split(",")):
        if svc not in services:
            problems.append(f"no span of {svc} (services in the trace: {sorted(services)})")
    for link in a.linked:
        src, dst = link.split(">")
        if not any(s["service"] == dst and by_id.get(s["parent"], {}).get("service") == src for s in trace):
            problems.append(f"no span of {dst} whose parent is a span of {src}")
    for pair in a.parent:
        svc, parent = pair.split("=")
        servers = [s for s in trace if s["service"] == svc and s["kind"] == "server"]
        if not any(s["parent"] == parent for s in servers):
            problems.append(f"{svc}'s server span has parent {[s['parent'] for s in servers]}, not the caller's {parent}")
    for system in filter(None, a.db.split(",")):
        if not any(s["kind"] == "client" and s["attrs"].get("db.system.name") == system for s in trace):
            problems.append(f"no client span for database {system}")
    for span in a.span:
        if span not in by_id:
            problems.append(f"span {span} is not in the trace")
    for line in problems:
        print(line)
    if not problems:
        print(f"trace {a.trace}: {len(trace)} spans of {sorted(services)}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
