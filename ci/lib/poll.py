"""The one polling client of the tiers: it keeps asking a service (hello's page) while a release,
a rollout or a GitOps change happens, records every answer, and reads the record afterwards.

usage: poll.py run URL LOG [--interval S] [--stop-file F] [--max-seconds N]
           GET URL (Accept: application/json, 2 s timeout, a new connection each time: behind a
           Service's ClusterIP kube-proxy picks an endpoint per connection) every S seconds
           (default 0.25; 0 is as fast as it goes) until SIGTERM/SIGINT, until F exists, or for
           at most N seconds; appends one JSON line per request to LOG: {"t": epoch s, "status":
           HTTP status or 0, "messages", "pod", "image", "error"}. At the end prints
           `poll: N requests, M failed`; exit 1 if any failed or none was made.
       poll.py summary LOG
           {"total", "failed", "errors": the first five, "images": {image: count},
            "messages": {first message: count}, "pods": number of distinct pods}
       poll.py first LOG TEXT [SINCE]
           the epoch of the first answer since SINCE whose messages include TEXT; exit 1 if none
       poll.py window LOG SINCE UNTIL [--expect TEXT] [--never TEXT]
           every request in [SINCE, UNTIL] answered 200, with TEXT among the messages for
           --expect, never for --never; prints the counts; exit 1 otherwise
A request failed when it got no answer, an answer other than 200, or a body that is not JSON.
"""

import json
import os
import signal
import sys
import time
import urllib.error
import urllib.request
from collections import Counter


def ask(url: str) -> dict:
    """One GET of URL: the record of what the client saw."""
    rec: dict = {"t": time.time(), "status": 0}
    try:
        req = urllib.request.Request(url, headers={"accept": "application/json"})
        with urllib.request.urlopen(req, timeout=2) as res:
            rec["status"] = res.status
            page = json.load(res)
            served = page.get("servedBy") or {}
            rec.update(messages=page.get("messages"), pod=served.get("pod"), image=served.get("image"))
    except urllib.error.HTTPError as e:
        rec.update(status=e.code, error=str(e))
    except Exception as e:  # a refused or reset connection, a timeout, a body that is not JSON
        rec["error"] = f"{type(e).__name__}: {e}"
    return rec


def failed(r: dict) -> bool:
    return r["status"] != 200 or "error" in r


def run(url: str, log: str, interval: float, stop_file: str | None, max_seconds: float) -> int:
    stop = False

    def on_signal(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    deadline = time.monotonic() + max_seconds
    total = bad = 0
    with open(log, "a", buffering=1) as out:
        while not stop and not (stop_file and os.path.exists(stop_file)) and time.monotonic() < deadline:
            rec = ask(url)
            out.write(json.dumps(rec) + "\n")
            total += 1
            if failed(rec):
                bad += 1
                if bad <= 5:
                    print(f"poll: request {total} failed: {rec.get('error') or rec['status']}", file=sys.stderr, flush=True)
            time.sleep(max(0.0, interval - (time.time() - rec["t"])))
    print(f"poll: {total} requests, {bad} failed", flush=True)
    return 1 if bad or total == 0 else 0


def records(log: str) -> list[dict]:
    with open(log) as f:
        return [json.loads(line) for line in f if line.strip()]


def summary(log: str) -> dict:
    rs = records(log)
    ok = [r for r in rs if not failed(r)]
    errors = [f"{time.strftime('%H:%M:%S', time.localtime(r['t']))} {r.get('error') or r['status']}" for r in rs if failed(r)]
    return {
        "total": len(rs),
        "failed": len(rs) - len(ok),
        "errors": errors[:5],
        "images": Counter(r.get("image") or "?" for r in ok),
        "messages": Counter((r.get("messages") or ["?"])[0] for r in ok),
        "pods": len({r.get("pod") for r in ok}),
    }


def first(log: str, text: str, since: float) -> int:
    for r in records(log):
        if r["t"] >= since and not failed(r) and text in (r.get("messages") or []):
            print(f"{r['t']:.3f}")
            return 0
    print(f"no answer with {text!r} since {since}", file=sys.stderr)
    return 1


def window(log: str, since: float, until: float, expect: str | None, never: str | None) -> int:
    rs = [r for r in records(log) if since <= r["t"] <= until]
    bad = [r for r in rs if failed(r)]
    ok = [r for r in rs if not failed(r)]
    missing = [r for r in ok if expect and expect not in (r.get("messages") or [])]
    forbidden = [r for r in ok if never and never in (r.get("messages") or [])]
    pods = sorted({r.get("pod") or "?" for r in ok})
    print(f"{len(rs)} requests over {until - since:.0f} s: {len(ok)} answered 200, "
          f"{len(bad)} failed; served by {', '.join(pods)}")
    for r in (bad + missing + forbidden)[:10]:
        print(f"  at +{r['t'] - since:.1f} s: {r}")
    if not rs:
        print("no request in that window: is the client running?", file=sys.stderr)
        return 1
    if bad or missing or forbidden:
        print(f"{len(bad)} failed, {len(missing)} without {expect!r}, {len(forbidden)} with {never!r}", file=sys.stderr)
        return 1
    return 0


def options(args: list[str]) -> dict[str, str]:
    if len(args) % 2:
        sys.exit(f"options come in pairs: {args}")
    return dict(zip(args[::2], args[1::2]))


def main(argv: list[str]) -> int:
    cmd, args = (argv[0], argv[1:]) if argv else ("", [])
    if cmd == "run" and len(args) >= 2:
        o = options(args[2:])
        return run(args[0], args[1], float(o.get("--interval", 0.25)), o.get("--stop-file"),
                   float(o.get("--max-seconds", "inf")))
    if cmd == "summary" and len(args) == 1:
        print(json.dumps(summary(args[0])))
        return 0
    if cmd == "first" and len(args) in (2, 3):
        return first(args[0], args[1], float(args[2]) if len(args) > 2 else 0.0)
    if cmd == "window" and len(args) >= 3:
        o = options(args[3:])
        return window(args[0], float(args[1]), float(args[2]), o.get("--expect"), o.get("--never"))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
