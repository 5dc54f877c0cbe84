"""Broken copies of a dashboard, for negative controls: one mistake each in its second panel.
usage: broken-dashboards.py DASHBOARD OUTDIR -> OUTDIR/bad-field.json (gridPos misspelt),
no-query.json (a panel without targets), fixed-datasource.json (a query on a fixed datasource uid):
dashval's; no-data.json (a valid query on a series nothing exports): prom-assert.py panels'."""

import json
import sys

BREAKS = {
    "bad-field": lambda p: p.update(gridPoz=p.pop("gridPos")),
    "no-query": lambda p: p.update(targets=[]),
    "fixed-datasource": lambda p: p["targets"][0]["datasource"].update(uid="prom-prod"),
    "no-data": lambda p: p["targets"][0].update(expr="sum(flotilla_no_such_series_total)"),
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
