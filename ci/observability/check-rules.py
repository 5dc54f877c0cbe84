"""Rules of the house for deploy/monitoring, beyond what promtool checks.

usage: python3 check-rules.py RULES_DIR TESTS_DIR RUNBOOKS_DIR
- every alert has a summary, a description and a runbook_url under RUNBOOK_PREFIX whose page
  exists in RUNBOOKS_DIR and has a "## What to do" section;
- every alert has a promtool unit test where it fires and one where it does not (exp_alerts: []);
- every rules file is loaded by at least one test file.
Prints one line per problem; exit 1 if any.
"""

import pathlib
import sys

import yaml

RUNBOOK_PREFIX = "https://example.com/flotilla/docs/runbooks/"

rules_dir, tests_dir, runbooks_dir = (pathlib.Path(p) for p in sys.argv[1:4])
problems: list[str] = []

alerts: dict[str, str] = {}
for f in sorted(rules_dir.glob("*.yml")):
    for group in yaml.safe_load(f.read_text())["groups"]:
        for rule in group["rules"]:
            if "alert" not in rule:
                continue
            name = rule["alert"]
            alerts[name] = f.name
            ann = rule.get("annotations", {})
            for key in ("summary", "description", "runbook_url"):
                if not ann.get(key):
                    problems.append(f"{f.name}: {name} has no {key}")
            url = ann.get("runbook_url", "")
            if url and not url.startswith(RUNBOOK_PREFIX):
                problems.append(f"{f.name}: {name} runbook_url {url} is not under {RUNBOOK_PREFIX}")
            elif url:
                page = runbooks_dir / url[len(RUNBOOK_PREFIX):]
                if not page.is_file():
                    problems.append(f"{f.name}: {name} runbook {page} does not exist")
                elif "## What to do" not in page.read_text():
                    problems.append(f"{f.name}: {name} runbook {page} has no '## What to do' section")

fires: set[str] = set()
quiet: set[str] = set()
loaded: set[str] = set()
for f in sorted(tests_dir.glob("*.yml")):
    doc = yaml.safe_load(f.read_text())
    loaded |= {pathlib.Path(r).name for r in doc.get("rule_files", [])}
    for test in doc.get("tests", []):
        for case in test.get("alert_rule_test", []):
            (fires if case.get("exp_alerts") else quiet).add(case["alertname"])

for name, where in sorted(alerts.items()):
    if name not in fires:
        problems.append(f"{where}: {name} has no unit test where it fires")
    if name not in quiet:
        problems.append(f"{where}: {name} has no unit test where it stays quiet")
for f in sorted(rules_dir.glob("*.yml")):
    if f.name not in loaded:
        problems.append(f"{f.name}: no test file loads it")

for p in problems:
    print(p)
print(f"{len(alerts)} alerts checked, {len(problems)} problems")
sys.exit(1 if problems else 0)
