"""Reads the services of a Compose model (`docker compose config --format json`).

usage: compose-services.py MODEL.json built
           the services Compose builds here (those with a `build` section), one a line, sorted
       compose-services.py MODEL.json has NAME...
           exit 0 when the model has every NAME, else 1 naming the missing ones
An unreadable model or other arguments: exit 2.
"""

import json
import sys


def main(argv: list[str]) -> int:
    if len(argv) < 2 or (argv[1], len(argv) > 2) not in (("built", False), ("has", True)):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        with open(argv[0]) as f:
            services = json.load(f)["services"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"compose-services: cannot read the services of {argv[0]}: {e!r}", file=sys.stderr)
        return 2
    if argv[1] == "built":
        print("\n".join(sorted(n for n, s in services.items() if "build" in s)))
        return 0
    missing = set(argv[2:]) - set(services)
    if missing:
        print(f"the model lacks {sorted(missing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
