"""A client polling a URL throughout a release: one GET every INTERVAL seconds until the stop file
appears (bounded by MAX_SECONDS), counting answers that are not 200. Prints
`poll: N requests, M failed` and exits 1 if any failed or none was made.

  python3 poll.py URL STOP_FILE [INTERVAL] [MAX_SECONDS]
"""

import os
import sys
import time
import urllib.request

url, stop = sys.argv[1], sys.argv[2]
interval = float(sys.argv[3]) if len(sys.argv) > 3 else 0.2
deadline = time.monotonic() + (float(sys.argv[4]) if len(sys.argv) > 4 else 900)
requests = failed = 0
while not os.path.exists(stop) and time.monotonic() < deadline:
    requests += 1
    try:
        with urllib.request.urlopen(url, timeout=5) as res:
            res.read()
            ok = res.status == 200
    except Exception as e:  # a refused connection, a reset, a 5xx: all count as failed
        ok = False
        print(f"poll: request {requests} failed: {e}", file=sys.stderr, flush=True)
    failed += not ok
    time.sleep(interval)
print(f"poll: {requests} requests, {failed} failed", flush=True)
sys.exit(1 if failed or requests == 0 else 0)
