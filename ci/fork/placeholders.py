"""What `npm run fork` must leave no trace of, read from fork.json, for `git grep`.

  placeholders.py pattern FORK_JSON   one Perl regex matching any upstream placeholder
  placeholders.py skip FORK_JSON      the files fork.json exempts, one `:!PATH` pathspec a line
"""

import json
import sys

if __name__ == "__main__":
    match sys.argv[1:]:
        case ["pattern", path]:
            settings = json.load(open(path))
            if not settings.get("upstream"):
                sys.exit(f"{path} lists no upstream placeholder patterns")
            print("|".join(f"(?:{p})" for p in settings["upstream"]))
        case ["skip", path]:
            for f in json.load(open(path)).get("skip", []):
                print(f":!{f}")
        case _:
            sys.exit(__doc__)
