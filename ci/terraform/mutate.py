"""The bad cases tier terraform's negative controls feed its checks: each writes a broken copy.

  mutate.py drop-lock-hashes LOCKFILE       (not a control: the copy's lock file keeps its version
                                            pin but loses the registry's checksums, which a provider
                                            built here can never match; init records its own)
  mutate.py bump-port FLEET_JSON            the first member's port + 1: a fleet.json gone stale
  mutate.py grant-everything PLAN_JSON OUT  every inline role policy of a plan (`tofu show -json`)
                                            allows every action on every resource
"""

import json
import re
import sys


def drop_lock_hashes(path: str) -> None:
    text = open(path).read()
    open(path, "w").write(re.sub(r"\n\s*hashes\s*=\s*\[[^\]]*\]", "", text))


def bump_port(path: str) -> None:
    fleet = json.load(open(path))
    fleet[0]["port"] += 1
    json.dump(fleet, open(path, "w"), indent=2)


def grant_everything(path: str, out: str) -> None:
    plan = json.load(open(path))
    everything = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
    changed = 0

    def walk(module: dict) -> None:
        nonlocal changed
        for r in module.get("resources", []):
            if r["type"] == "aws_iam_role_policy":
                r["values"]["policy"] = everything
                changed += 1
        for child in module.get("child_modules", []):
            walk(child)

    walk(plan["planned_values"]["root_module"])
    if not changed:
        sys.exit(f"no aws_iam_role_policy in {path}: the control would prove nothing")
    json.dump(plan, open(out, "w"))


if __name__ == "__main__":
    match sys.argv[1:]:
        case ["drop-lock-hashes", path]:
            drop_lock_hashes(path)
        case ["bump-port", path]:
            bump_port(path)
        case ["grant-everything", path, out]:
            grant_everything(path, out)
        case _:
            sys.exit(__doc__)
