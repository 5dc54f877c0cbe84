"""The findings of npm-groovy-lint's JSON report (`--output json`) for some of its files.

usage: groovylint-findings.py REPORT.json FILE...
    prints "FILE: severity rule (line N)" for each finding in each FILE (as given, relative to the
    working directory the report was made in); nothing when they are clean. A report that is not
    npm-groovy-lint's, or a FILE it did not lint: exit 2.
"""

import json
import os
import sys


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        with open(argv[0]) as f:
            report = json.load(f)["files"]
        found = [(name, report[os.path.abspath(name)].get("errors", [])) for name in argv[1:]]
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"groovylint-findings: {argv[0]}: {e!r}", file=sys.stderr)
        return 2
    for name, errors in found:
        for e in errors:
            print(f"{name}: {e['severity']} {e['rule']} (line {e.get('line')})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
