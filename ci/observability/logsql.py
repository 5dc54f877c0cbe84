"""Queries VictoriaLogs (LogsQL over HTTP) and answers what the tier asks of the logs.

usage: logsql.py has URL QUERY FIELD=VALUE...
           exit 0 if a row of the answer has every FIELD=VALUE; prints the rows
       logsql.py count URL QUERY
           the number a `... | count()` query answers
       logsql.py trace URL QUERY
           "traceId spanId" of the first row with a traceId; exit 1 if none
"""

import json
import sys
import urllib.parse
import urllib.request


def rows(url: str, query: str) -> list[dict]:
    data = urllib.parse.urlencode({"query": query}).encode()
    with urllib.request.urlopen(f"{url}/select/logsql/query", data=data, timeout=10) as res:
        return [json.loads(line) for line in res.read().decode().splitlines() if line.strip()]


def main(argv: list[str]) -> int:
    cmd, args = (argv[0], argv[1:]) if argv else ("", [])
    if cmd == "has" and len(args) >= 3 and all("=" in a for a in args[2:]):
        found = rows(args[0], args[1])
        want = dict(a.split("=", 1) for a in args[2:])
        print(found)
        return 0 if any(all(r.get(k) == v for k, v in want.items()) for r in found) else 1
    if cmd == "count" and len(args) == 2:
        found = rows(args[0], args[1])
        print(list(found[0].values())[0] if found else 0)
        return 0
    if cmd == "trace" and len(args) == 2:
        found = [r for r in rows(args[0], args[1]) if r.get("traceId")]
        if not found:
            print(f"no log line with a traceId for: {args[1]}", file=sys.stderr)
            return 1
        print(found[0]["traceId"], found[0].get("spanId", ""))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
