"""A revision of a Helm release, read from `helm history RELEASE -o json` on stdin.

usage: helm-revision.py newest      the newest revision (whatever its status)
       helm-revision.py deployed    the newest revision whose status is deployed; nothing when none
       helm-revision.py first-good  the oldest revision that was deployed (superseded or deployed)
A history that is not helm's JSON, an empty one where a revision is asked, or another word: exit 2
(first-good with none: exit 1).
"""

import json
import sys


def main(argv: list[str]) -> int:
    if argv not in (["newest"], ["deployed"], ["first-good"]):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        history = json.load(sys.stdin)
        statuses = [(r["revision"], r["status"]) for r in history]
    except (ValueError, KeyError, TypeError) as e:
        print(f"helm-revision: not helm's history: {e!r}", file=sys.stderr)
        return 2
    if argv[0] == "newest":
        if not statuses:
            print("helm-revision: the history is empty", file=sys.stderr)
            return 2
        print(statuses[-1][0])
    elif argv[0] == "deployed":
        deployed = [rev for rev, status in statuses if status == "deployed"]
        print(deployed[-1] if deployed else "")
    else:
        good = [rev for rev, status in statuses if status in ("superseded", "deployed")]
        if not good:
            print("helm-revision: no revision was ever deployed", file=sys.stderr)
            return 1
        print(good[0])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
