"""A Python expression over a JSON document, for the tiers' checks of an answer (a service's
body, the polling client's summary): the document is `j`.

usage: json-eval.py EXPR [--print] < JSON
    exit 0 when EXPR is true of the document, 1 when it is false (naming EXPR and the document's
    start on stderr); with --print, prints EXPR's value instead (exit 0).
    Not JSON on stdin, an EXPR that fails, or no EXPR: exit 2.
"""

import json
import sys


def main(argv: list[str]) -> int:
    show = "--print" in argv
    args = [a for a in argv if a != "--print"]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    text = sys.stdin.read()
    try:
        j = json.loads(text)
    except json.JSONDecodeError as e:
        print(f"json-eval: not JSON ({e}): {text[:300]}", file=sys.stderr)
        return 2
    try:
        # j as a global: a generator's body (all(j[k] ... for k in ...)) sees globals, not eval's locals
        value = eval(args[0], {"j": j})  # noqa: S307 - the tiers' own expressions
    except Exception as e:
        print(f"json-eval: {args[0]}: {type(e).__name__}: {e} on {text[:300]}", file=sys.stderr)
        return 2
    if show:
        print(value)
        return 0
    if not value:
        print(f"json-eval: false: {args[0]} on {text[:300]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
