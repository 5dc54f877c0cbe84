"""Schemathesis hooks of tier api (SCHEMATHESIS_HOOKS=hooks, PYTHONPATH=ci/api).

store's POST /users refuses a password over 72 bytes of UTF-8 (bcrypt's limit). JSON Schema
counts characters, not bytes: the document says maxLength 72 and, in words, the byte limit.
Generated bodies whose password is within 72 characters but over 72 bytes are dropped, the
one rule the document cannot state as a keyword (docs/decisions.md, "API tier").
"""

import schemathesis

PASSWORD_MAX_BYTES = 72


@schemathesis.hook
def filter_body(context, body):
    if context.operation is None or context.operation.path != "/users":
        return True
    if not isinstance(body, dict) or not isinstance(body.get("password"), str):
        return True
    try:
        return len(body["password"].encode("utf-8")) <= PASSWORD_MAX_BYTES
    except UnicodeEncodeError:  # a lone surrogate: not UTF-8, refused by either rule
        return True


# Schemathesis 4.32.5 rewrites a response schema's `prefixItems` into the draft-07 `items: [...]`
# (for its generators) and then meta-validates the result as JSON Schema 2020-12, which rejects
# it: stats' GET /stats (loadAverage, a valid 3.1 tuple) errors as "Invalid Schema Object".
# Responses are only validated, never generated, so they keep `prefixItems` as written; the
# request side is untouched. Drop this once schemathesis keeps prefixItems for responses.
def _keep_prefix_items_in_responses():
    import functools

    from schemathesis.specs.openapi.adapter import responses

    responses.to_json_schema = functools.partial(responses.to_json_schema, convert_prefix_items=False)


_keep_prefix_items_in_responses()
