"""Fetches one trace from Jaeger v2's query API (GET /api/v3/traces/<id>) and writes it as one line
of OTLP JSON, the format ci/observability/trace-assert.py reads (the collector file exporter's), so
the same assertions run against the platform's trace backend.

usage: jaeger-trace.py QUERY_URL TRACE_ID OUT
  QUERY_URL  Jaeger's query endpoint, e.g. http://127.0.0.1:16686
  OUT        written with the trace (one line), or empty when Jaeger has no such trace (404)
Exit 0 with the trace's span count on stdout; 1 when there is no such trace.
"""

import json
import sys
import urllib.error
import urllib.request


def fetch(url: str, trace_id: str) -> dict | None:
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/api/v3/traces/{trace_id}", timeout=10) as res:
            return json.load(res).get("result")
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return None
        raise


def span_count(result: dict) -> int:
    return sum(len(ss.get("spans", [])) for rs in result.get("resourceSpans", []) for ss in rs.get("scopeSpans", []))


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    url, trace_id, out = argv
    result = fetch(url, trace_id)
    with open(out, "w") as f:
        if result:
            f.write(json.dumps(result) + "\n")
    if not result:
        print(f"no trace {trace_id} in Jaeger", file=sys.stderr)
        return 1
    print(span_count(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
