"""Process helpers shared by the *-with-render.py checks (run as scripts from this folder)."""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from ports import free  # noqa: E402 (ci/lib/ports.py: below the ephemeral range, and why)


def free_port() -> int:
    [port] = free(1)
    return port


def wait_for(what: str, predicate, timeout: float) -> None:
    """Polls predicate() every 0.2 s; exits the check (non-zero) when it is not true in time."""
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except OSError as e:
            last = e
        time.sleep(0.2)
    raise SystemExit(f"FAIL timed out after {timeout}s waiting for {what} ({last})")
