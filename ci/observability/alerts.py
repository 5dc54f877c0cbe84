"""The state of an alert in Alertmanager's API: what inhibition and silences made of it.

usage: alerts.py states ALERTMANAGER_URL ALERTNAME
           prints SERVICE=STATE (active, suppressed, ...) of each alert of that name, sorted
"""

import json
import sys
import urllib.parse
import urllib.request


def states(url: str, name: str) -> int:
    query = urllib.parse.urlencode({"filter": f'alertname="{name}"'})
    with urllib.request.urlopen(f"{url}/api/v2/alerts?{query}", timeout=5) as res:
        alerts = json.load(res)
    for service, state in sorted((a["labels"].get("service", "?"), a["status"]["state"]) for a in alerts):
        print(f"{service}={state}")
    return 0


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "states":
        return states(*argv[1:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
