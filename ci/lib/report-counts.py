"""The passed and failed counts of a runner that checks by itself, for the harness's add_results.

usage: report-counts.py vitest FILE   Vitest's JSON report; a run with no test counts as a failure
       report-counts.py counts FILE   {"passed": N, "failed": M} (the browser script's result)
Prints "PASSED FAILED". A report that is missing or unreadable prints "0 1" for vitest (the
suite did not run) and "0 0" for counts (the caller judges by the runner's exit status); exit 1.
"""

import json
import sys


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("vitest", "counts"):
        print(__doc__, file=sys.stderr)
        return 2
    kind, path = argv
    try:
        with open(path) as f:
            r = json.load(f)
        if kind == "vitest":
            passed, failed = r["numPassedTests"], r["numFailedTests"] + (1 if r["numTotalTests"] == 0 else 0)
        else:
            passed, failed = r["passed"], r["failed"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"report-counts.py: {path}: {type(e).__name__}: {e}", file=sys.stderr)
        print("0 1" if kind == "vitest" else "0 0")
        return 1
    print(passed, failed)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
