"""The registry's members that publish an OpenAPI document, as `NAME DIR` lines, from
`node scripts/registry.ts json` on stdin: what tier api fuzzes."""

import json
import sys

for member in json.load(sys.stdin):
    if member.get("openapi"):
        print(member["name"], member["dir"])
