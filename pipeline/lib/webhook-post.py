"""Posts a Slack-compatible message, {"text": TEXT}, as JSON to a webhook (notify's delivery).

usage: webhook-post.py URL TEXT
exit 0 when the webhook accepted it (a 2xx answer within 10 s), 1 otherwise (the reason on
stderr), 2 on other arguments.
"""

import json
import sys
import urllib.request


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    url, text = argv
    req = urllib.request.Request(url, data=json.dumps({"text": text}).encode(), headers={"Content-Type": "application/json"})
    try:
        urllib.request.urlopen(req, timeout=10).read()
    except Exception as e:  # an HTTP error status, a refused connection, a bad URL
        print(f"webhook-post: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
