#!/usr/bin/env python3
"""Replaces exactly one occurrence of OLD by NEW in FILE (\\n in either is a newline): the change
scenarios' edits of the published copy. Exit 1, naming the file, when OLD occurs 0 or 2+ times.

usage: edit.py FILE OLD NEW
"""

import sys


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    path, old, new = argv[0], argv[1].replace("\\n", "\n"), argv[2].replace("\\n", "\n")
    text = open(path).read()
    if text.count(old) != 1:
        print(f"{path}: {text.count(old)} occurrences of {old!r}, expected exactly one", file=sys.stderr)
        return 1
    open(path, "w").write(text.replace(old, new))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
