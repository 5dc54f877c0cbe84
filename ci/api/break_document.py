"""Negative controls of tier api: a copy of an OpenAPI document that lies about one answer.

  python3 ci/api/break_document.py LIE IN.json OUT.json

LIE is one of:
  healthz  GET /healthz is documented to answer an integer (hello answers {"status": "ok"})
  tuple    stats' loadAverage is documented as three strings (it is three numbers): proves the
           response check still reads prefixItems with hooks.py's work-around in place
The fuzzer must report a response that does not conform to the document.
"""

import json
import sys


def healthz(doc):
    ok = doc["paths"]["/healthz"]["get"]["responses"]["200"]
    ok["content"] = {"application/json": {"schema": {"type": "integer"}}}


def tuple_(doc):
    ok = doc["paths"]["/stats"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    ok["properties"]["loadAverage"]["prefixItems"] = [{"type": "string"}] * 3


LIES = {"healthz": healthz, "tuple": tuple_}

lie, source, target = sys.argv[1], sys.argv[2], sys.argv[3]
with open(source, encoding="utf-8") as f:
    doc = json.load(f)
LIES[lie](doc)
with open(target, "w", encoding="utf-8") as f:
    json.dump(doc, f)
