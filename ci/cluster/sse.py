#!/usr/bin/env python3
"""Reads Server-Sent Events from a stream and reports when each arrived, to tell a stream that
is passed through from one a proxy buffers (a buffered stream delivers its events together, or
none before the connection ends).

usage: sse.py URL HOST EVENTS TIMEOUT_S
       sse.py streamed RESULT

GET URL with `Host: HOST` and `Accept: text/event-stream`; reads until EVENTS `data:` lines
have arrived or TIMEOUT_S passed. Prints {"status", "content_type", "events": [[seconds since
the request, first 80 characters of the data]...]} and exits 0 when EVENTS events arrived, 1
otherwise (an HTTP or network error too: {"error"}).

`streamed RESULT` judges such a result (the JSON printed above) of stats' stream: status 200, a
text/event-stream, every event after the first a sample (with "cpu"), and the 2nd and 3rd events,
sent one sample interval (1 s) apart, arriving at least 0.5 s apart as a stream passed through
does (a buffering proxy delivers them together). Prints "events at T1 s, T2 s, ..." either way;
exit 1 naming what is wrong, 2 when RESULT is not such a result.
"""

import http.client
import json
import sys
import time
from urllib.parse import urlsplit


def streamed(text: str) -> int:
    try:
        r = json.loads(text)
        events, status, content_type = r["events"], r.get("status"), r.get("content_type", "")
        times = [e[0] for e in events]
    except (ValueError, KeyError, TypeError, IndexError) as e:
        print(f"sse: not a result of sse.py: {e!r}: {text[:300]}", file=sys.stderr)
        return 2
    problems = []
    if status != 200 or not content_type.startswith("text/event-stream"):
        problems.append(f"status {status}, content type {content_type!r}: {r.get('error', '')}")
    if not all('"cpu"' in e[1] for e in events[1:]):
        problems.append(f"an event after the first is not a sample: {events}")
    if len(times) < 3:
        problems.append(f"{len(times)} events, 3 wanted")
    elif times[2] - times[1] < 0.5:
        problems.append(f"events arrived together: {times}")
    print("events at " + ", ".join(f"{t} s" for t in times))
    if problems:
        print("; ".join(problems), file=sys.stderr)
        return 1
    return 0


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "streamed":
        return streamed(sys.argv[2])
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
