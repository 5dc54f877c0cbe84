"""Prints one value of a JSON document read from stdin: the shell's way to read a field, for the
product's scripts and the tiers alike (no program written inline in a shell script).

usage: json-get.py [--len] [--default VALUE] KEY...
    Walks KEY... into the document: a key of an object, or an index of a list (an integer, a
    negative one from the end). Prints a string as it is, anything else as JSON; with --len, the
    value's length. A missing key prints VALUE with --default, else exits 1 naming the path.
    Not JSON on stdin, or no KEY: exit 2.

examples: helm history R -o json | json-get.py -1 revision         the newest revision
          json-get.py --len --default 0 components <sbom.cdx.json  how many components
"""

import json
import sys


def main(argv: list[str]) -> int:
    length, default, keys = False, None, []
    args = iter(argv)
    for a in args:
        if a == "--len":
            length = True
        elif a == "--default":
            default = next(args, None)
            if default is None:
                break
        else:
            keys.append(a)
    if not keys or (default is None and "--default" in argv):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        value = json.load(sys.stdin)
    except json.JSONDecodeError as e:
        print(f"json-get: stdin is not JSON: {e}", file=sys.stderr)
        return 2
    for i, key in enumerate(keys):
        try:
            value = value[int(key)] if isinstance(value, list) else value[key]
        except (KeyError, IndexError, ValueError, TypeError):
            if default is not None:
                print(default)
                return 0
            print(f"json-get: no {'.'.join(keys[: i + 1])} in the document", file=sys.stderr)
            return 1
    if length:
        value = len(value)
    print(value if isinstance(value, str) else json.dumps(value))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
