"""Process helpers shared by the *-with-render.py checks (run as scripts from this folder)."""

import socket
import time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
