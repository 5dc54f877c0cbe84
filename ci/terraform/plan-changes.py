#!/usr/bin/env python3
"""List the changes a saved plan would make (`tofu show -json PLAN` on stdin); exit 1 if any.

An idempotency check: a second plan right after an apply must change nothing. A resource may be
excused with --known ADDRESS=ATTR,ATTR:REASON (`*` in ADDRESS matches anything), and only for a
change that touches no other attribute (so a new, real drift of the same resource still fails);
an output is excused by its address alone (output.NAME=*:REASON).
usage: tofu show -json plan | plan-changes.py [--known 'ADDR=ATTRS:REASON']...
"""
import argparse
import json
import re
import sys


def changed_attributes(change):
    """What the configuration changes: for a replacement, the attributes that force it (the rest
    is merely recomputed); for an update, the attributes whose known values differ."""
    if change.get("replace_paths"):
        return sorted({str(path[0]) for path in change["replace_paths"]})
    before, after = change.get("before") or {}, change.get("after") or {}
    unknown = change.get("after_unknown") or {}
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k) and not unknown.get(k))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--known", action="append", default=[])
    args = parser.parse_args()
    known = []
    for item in args.known:
        address, rest = item.split("=", 1)
        attrs, reason = rest.split(":", 1)
        pattern = re.compile("^" + re.escape(address).replace("\\*", ".*") + "$")
        known.append((pattern, set(attrs.split(",")), reason))

    plan = json.load(sys.stdin)
    unexpected = 0
    for rc in plan.get("resource_changes", []):
        actions = rc["change"]["actions"]
        if actions in (["no-op"], ["read"]):
            continue
        attrs = changed_attributes(rc["change"])
        excuse = next((k for k in known if k[0].match(rc["address"]) and set(attrs) <= k[1]), None)
        if excuse:
            print(f"known   {rc['address']} {'/'.join(actions)} {attrs}: {excuse[2]}")
            continue
        unexpected += 1
        print(f"CHANGE  {rc['address']} {'/'.join(actions)} {attrs}")
    for name, oc in (plan.get("output_changes") or {}).items():
        if oc["actions"] != ["no-op"]:
            excuse = next((k for k in known if k[0].match(f"output.{name}")), None)
            if excuse:
                print(f"known   output.{name} {'/'.join(oc['actions'])}: {excuse[2]}")
                continue
            unexpected += 1
            print(f"CHANGE  output.{name} {'/'.join(oc['actions'])}")
    print(f"{unexpected} unexpected change(s)")
    sys.exit(1 if unexpected else 0)


if __name__ == "__main__":
    main()
