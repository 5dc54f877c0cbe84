"""Fetches one trace from Jaeger v2's query API (GET /api/v3/traces/<id>) and writes it as one line
of OTLP JSON, the format ci/observability/trace-assert.py reads (the collector file exporter's), so
the same assertions run against the platform's trace backend.

usage: jaeger-trace.py QUERY_URL TRACE_ID OUT
       jaeger-trace.py QUERY_URL --find SERVICE OPERATION OUT
  QUERY_URL  Jaeger's query endpoint, e.g. http://127.0.0.1:16686
  --find     the traces of the last 15 minutes with a span of SERVICE named OPERATION (GET
             /api/v3/traces?query.service_name=...), up to 20, all their spans in one line
  OUT        written with the trace(s) (one line), or empty when Jaeger has none (404)
Exit 0 with the span count on stdout; 1 when there is no such trace.
"""

import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta


def _get(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as res:
            return json.load(res).get("result")
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return None
        raise


def fetch(url: str, trace_id: str) -> dict | None:
    return _get(f"{url.rstrip('/')}/api/v3/traces/{trace_id}")


def find(url: str, service: str, operation: str) -> dict | None:
    now = datetime.now(UTC)
    query = urllib.parse.urlencode({
        "query.service_name": service,
        "query.operation_name": operation,
        "query.start_time_min": (now - timedelta(minutes=15)).isoformat(),
        "query.start_time_max": (now + timedelta(minutes=1)).isoformat(),
        "query.num_traces": "20",
    })
    return _get(f"{url.rstrip('/')}/api/v3/traces?{query}")


def span_count(result: dict) -> int:
    return sum(len(ss.get("spans", [])) for rs in result.get("resourceSpans", []) for ss in rs.get("scopeSpans", []))


def main(argv: list[str]) -> int:
    if len(argv) == 3:
        url, trace_id, out = argv
        result, what = fetch(url, trace_id), f"no trace {trace_id}"
    elif len(argv) == 5 and argv[1] == "--find":
        url, _, service, operation, out = argv
        result, what = find(url, service, operation), f"no trace of {service} {operation}"
    else:
        print(__doc__, file=sys.stderr)
        return 2
    with open(out, "w") as f:
        if result:
            f.write(json.dumps(result) + "\n")
    if not result:
        print(f"{what} in Jaeger", file=sys.stderr)
        return 1
    print(span_count(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
