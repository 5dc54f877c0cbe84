"""What became of an alert: at the webhook receiver (ci/lib/webhook-sink.py's record) and in
Alertmanager's API.

usage: alerts.py delivered RECORD ALERTNAME STATUS SERVICE
           exit 0 if a notification to /pager carries the alert with that status and service
           label; 2 if it went to another receiver; 1 if none (yet)
       alerts.py states ALERTMANAGER_URL ALERTNAME
           prints SERVICE=STATE (active, suppressed, ...) of each alert of that name, sorted
"""

import json
import sys
import urllib.parse
import urllib.request


def delivered(record: str, name: str, status: str, service: str) -> int:
    try:
        with open(record) as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return 1
    for line in lines:
        n = json.loads(line)
        for a in n["body"].get("alerts", []):
            if a["labels"].get("alertname") == name and a["status"] == status and a["labels"].get("service") == service:
                if n["path"] == "/pager":
                    return 0
                print(f"{name} {status} for {service} went to {n['path']}, not /pager", file=sys.stderr)
                return 2
    print(f"no {name} {status} for {service} in {record}", file=sys.stderr)
    return 1


def states(url: str, name: str) -> int:
    query = urllib.parse.urlencode({"filter": f'alertname="{name}"'})
    with urllib.request.urlopen(f"{url}/api/v2/alerts?{query}", timeout=5) as res:
        alerts = json.load(res)
    for service, state in sorted((a["labels"].get("service", "?"), a["status"]["state"]) for a in alerts):
        print(f"{service}={state}")
    return 0


def main(argv: list[str]) -> int:
    if len(argv) == 5 and argv[0] == "delivered":
        return delivered(*argv[1:])
    if len(argv) == 3 and argv[0] == "states":
        return states(*argv[1:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
