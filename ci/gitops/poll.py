"""The client that polls the fleet throughout tier gitops, and what it saw.

usage: python poll.py run URL LOG [INTERVAL_S]
           GET URL (Accept: application/json) every INTERVAL_S (default 0.25) until SIGTERM;
           one JSON line per request: {"t": epoch s, "status": HTTP status or 0, "messages": [...],
           "pod": ..., "error": ...}
       python poll.py first LOG TEXT [SINCE]
           prints the epoch of the first answer since SINCE whose messages include TEXT; exit 1 if none
       python poll.py window LOG SINCE UNTIL [--expect TEXT] [--never TEXT]
           every request in [SINCE, UNTIL] must be a 200 (an answer, not an error), with TEXT among
           the messages for --expect, never for --never; prints the counts; exit 1 otherwise
"""

import json
import signal
import sys
import time
import urllib.request


def run(url: str, log: str, interval: float) -> None:
    stop = False

    def on_term(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_term)
    with open(log, "a", buffering=1) as out:
        while not stop:
            rec: dict = {"t": time.time(), "status": 0}
            try:
                req = urllib.request.Request(url, headers={"accept": "application/json"})
                with urllib.request.urlopen(req, timeout=2) as res:
                    body = json.load(res)
                    rec.update(status=res.status, messages=body.get("messages"),
                               pod=(body.get("servedBy") or {}).get("pod"))
            except urllib.error.HTTPError as e:
                rec.update(status=e.code, error=str(e))
            except Exception as e:  # a refused or reset connection, a timeout: the client saw an error
                rec["error"] = f"{type(e).__name__}: {e}"
            out.write(json.dumps(rec) + "\n")
            time.sleep(max(0.0, interval - (time.time() - rec["t"])))


def records(log: str) -> list[dict]:
    with open(log) as f:
        return [json.loads(line) for line in f if line.strip()]


def first(log: str, text: str, since: float) -> None:
    for r in records(log):
        if r["t"] >= since and r["status"] == 200 and text in (r.get("messages") or []):
            print(f"{r['t']:.3f}")
            return
    sys.exit(f"no answer with {text!r} since {since}")


def window(log: str, since: float, until: float, expect: str | None, never: str | None) -> None:
    rs = [r for r in records(log) if since <= r["t"] <= until]
    bad = [r for r in rs if r["status"] != 200]
    missing = [r for r in rs if r["status"] == 200 and expect and expect not in (r.get("messages") or [])]
    forbidden = [r for r in rs if r["status"] == 200 and never and never in (r.get("messages") or [])]
    pods = sorted({r.get("pod") or "?" for r in rs if r["status"] == 200})
    print(f"{len(rs)} requests over {until - since:.0f} s: {len(rs) - len(bad)} answered 200, "
          f"{len(bad)} failed; served by {', '.join(pods)}")
    for r in (bad + missing + forbidden)[:10]:
        print(f"  at +{r['t'] - since:.1f} s: {r}")
    if not rs:
        sys.exit("no request in that window: is the client running?")
    if bad or missing or forbidden:
        sys.exit(f"{len(bad)} failed, {len(missing)} without {expect!r}, {len(forbidden)} with {never!r}")


def main() -> None:
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "run":
        run(args[0], args[1], float(args[2]) if len(args) > 2 else 0.25)
    elif cmd == "first":
        first(args[0], args[1], float(args[2]) if len(args) > 2 else 0.0)
    elif cmd == "window":
        opts = dict(zip(args[3::2], args[4::2]))
        window(args[0], float(args[1]), float(args[2]), opts.get("--expect"), opts.get("--never"))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
