"""Broken copies of a dashboard, for dashval's negative controls: one mistake each in its second
panel. usage: broken-dashboards.py DASHBOARD OUTDIR -> OUTDIR/bad-field.json (gridPos misspelt),
no-query.json (a panel without targets), fixed-datasource.json (a query on a fixed datasource uid)."""

import json
import sys

BREAKS = {
    "bad-field": lambda p: p.update(gridPoz=p.pop("gridPos")),
    "no-query": lambda p: p.update(targets=[]),
    "fixed-datasource": lambda p: p["targets"][0]["datasource"].update(uid="prom-prod"),
}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    for name, change in BREAKS.items():
        with open(argv[0]) as f:
            d = json.load(f)
        change(d["panels"][1])
        with open(f"{argv[1]}/{name}.json", "w") as f:
            json.dump(d, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
