#!/usr/bin/env python3
"""A client that keeps asking hello who served it, until SIGTERM/SIGINT, then prints a JSON summary.

usage: poll.py URL [INTERVAL_MS]

Each request is a new TCP connection to URL (a Service's ClusterIP: kube-proxy picks an endpoint
per connection), `Accept: application/json`, 2 s timeout. Any error, timeout or non-200 answer
counts as failed. The summary: {"total", "failed", "errors": first few, "images": {image: count},
"messages": {first message: count}, "pods": number of distinct pods}.
"""

import http.client
import json
import signal
import sys
import time
from collections import Counter
from urllib.parse import urlsplit

stop = False


def on_signal(_signo, _frame):
    global stop
    stop = True


def main() -> None:
    url = urlsplit(sys.argv[1])
    interval = (int(sys.argv[2]) if len(sys.argv) > 2 else 50) / 1000
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    total, failed, errors = 0, 0, []
    images, messages, pods = Counter(), Counter(), set()
    while not stop:
        total += 1
        try:
            conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=2)
            conn.request("GET", url.path or "/", headers={"Accept": "application/json"})
            resp = conn.getresponse()
            body = resp.read()
            conn.close()
            if resp.status != 200:
                raise RuntimeError(f"HTTP {resp.status}: {body[:100]!r}")
            page = json.loads(body)
            served = page.get("servedBy", {})
            images[served.get("image", "?")] += 1
            messages[(page.get("messages") or ["?"])[0]] += 1
            pods.add(served.get("pod"))
        except Exception as e:  # every failure is a data point, not a crash
            failed += 1
            if len(errors) < 5:
                errors.append(f"{time.strftime('%H:%M:%S')} {type(e).__name__}: {e}")
        time.sleep(interval)
    print(json.dumps({"total": total, "failed": failed, "errors": errors, "images": images,
                      "messages": messages, "pods": len(pods)}))


if __name__ == "__main__":
    main()
