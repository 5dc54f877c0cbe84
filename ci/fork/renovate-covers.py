#!/usr/bin/env python3
"""Renovate keeps every pin current: checked on what Renovate itself extracted.

Usage: renovate-covers.py LOG REPO
  LOG   the JSON log of `renovate --platform=local --dry-run=extract` (LOG_LEVEL=debug) in REPO
  REPO  the repository Renovate read

Fails (exit 1, one line per problem) when a manager this repository relies on extracted nothing,
or when a version pinned in a tools installer (NAME_VERSION=...) is not among the dependencies
Renovate extracted from that file, or an upstream chart's HelmRelease (deploy/flux/infrastructure/
upstream) whose chart version Renovate's flux manager did not extract. Pseudo-versions of untagged modules (v0.0.0-<date>-<commit>)
are named and allowed: Renovate can only follow tags.
"""

import json
import re
import sys
from pathlib import Path

# managers whose files this repository has: each must extract at least one dependency
MANAGERS = ["npm", "gomod", "pip_requirements", "terraform", "github-actions", "circleci",
            "dockerfile", "docker-compose", "helm-values", "regex", "flux"]
UPSTREAM = "deploy/flux/infrastructure/upstream/*/*.yaml"  # HelmReleases of upstream charts
CHART = re.compile(r"^\s+chart: (\S+)\n\s+version: \"?([^\s\"]+)", re.M)  # a HelmRelease's chart.spec
PIN = re.compile(r"^([A-Z][A-Z0-9_]*_VERSION)=(\S+)", re.M)
PSEUDO = re.compile(r"^v0\.0\.0-\d{14}-[0-9a-f]{12}$")
INSTALLERS = ["tools/*.sh", "tools/versions/*.sh", "ci/tools/*.sh", "deploy/cluster/versions.sh"]


def extracted(log: Path) -> dict:
    for line in log.read_text().splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if "packageFiles" in entry:
            return entry["packageFiles"]
    sys.exit(f"{log}: no 'packageFiles' entry (did renovate --dry-run=extract run?)")


def main() -> int:
    log, repo = Path(sys.argv[1]), Path(sys.argv[2])
    files = extracted(log)
    problems = [f"manager {m}: extracted no dependency" for m in MANAGERS
                if not any(f["deps"] for f in files.get(m, []))]
    by_file: dict[str, set[str]] = {}
    for f in files.get("regex", []):
        by_file.setdefault(f["packageFile"], set()).update(str(d.get("currentValue")) for d in f["deps"])
    pins = 0
    for pattern in INSTALLERS:
        for path in sorted(repo.glob(pattern)):
            rel = str(path.relative_to(repo))
            for name, value in PIN.findall(path.read_text()):
                pins += 1
                if PSEUDO.match(value):
                    print(f"  {rel}: {name}={value} is a pseudo-version (untagged module): updated by hand")
                elif value not in by_file.get(rel, set()):
                    problems.append(f"{rel}: {name}={value} has no Renovate manager (renovate.json customManagers)")
    # every upstream chart's pinned version is one Renovate's flux manager follows
    flux = {(d.get("depName"), str(d.get("currentValue"))) for f in files.get("flux", []) for d in f["deps"]}
    for path in sorted(repo.glob(UPSTREAM)):
        for name, version in CHART.findall(path.read_text()):
            pins += 1
            if (name, version) not in flux:
                problems.append(f"{path.relative_to(repo)}: chart {name} {version} is not extracted by Renovate's flux manager")
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{pins} pinned tool versions, {sum(len(f['deps']) for fs in files.values() for f in fs)} dependencies extracted")
    return 1 if problems or pins == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
