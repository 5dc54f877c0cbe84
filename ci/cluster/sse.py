#!/usr/bin/env python3
"""Reads Server-Sent Events from a stream and reports when each arrived, to tell a stream that
is passed through from one a proxy buffers (a buffered stream delivers its events together, or
none before the connection ends).

usage: sse.py URL HOST EVENTS TIMEOUT_S

GET URL with `Host: HOST` and `Accept: text/event-stream`; reads until EVENTS `data:` lines
have arrived or TIMEOUT_S passed. Prints {"status", "content_type", "events": [[seconds since
the request, first 80 characters of the data]...]} and exits 0 when EVENTS events arrived, 1
otherwise (an HTTP or network error too: {"error"}).
"""

import http.client
import json
import sys
import time
from urllib.parse import urlsplit


def main() -> int:
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    url, host, want, timeout = urlsplit(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    t0 = time.monotonic()
    events = []
    try:
        conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=timeout)
        conn.request("GET", url.path, headers={"Host": host, "Accept": "text/event-stream"})
        resp = conn.getresponse()
        result = {"status": resp.status, "content_type": resp.getheader("Content-Type", "")}
        if resp.status == 200:
            while len(events) < want and time.monotonic() - t0 < timeout:
                line = resp.fp.readline()
                if not line:
                    break
                if line.startswith(b"data:"):
                    events.append([round(time.monotonic() - t0, 3), line[5:].strip().decode()[:80]])
        conn.close()
    except (OSError, http.client.HTTPException) as e:
        result = {"error": f"{type(e).__name__}: {e}"}
    result["events"] = events
    print(json.dumps(result))
    return 0 if len(events) >= want else 1


if __name__ == "__main__":
    sys.exit(main())
