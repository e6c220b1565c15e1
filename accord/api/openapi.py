"""The committed OpenAPI schema: how it is rendered, and where it lives.

The schema is committed so that a change to the API shows up in review as a diff to
``accord/api/openapi.json``; a test fails when the code and the file disagree.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ninja.responses import NinjaJSONEncoder

SCHEMA_PATH = Path(__file__).resolve().parent / "openapi.json"
REGENERATE_COMMAND = "uv run accord export_openapi"


def render_schema() -> str:
    """The API's OpenAPI schema as stable text: sorted keys, two-space indent, final newline."""
    from accord.api.api import api

    schema = api.get_openapi_schema()
    return (
        json.dumps(schema, cls=NinjaJSONEncoder, indent=2, sort_keys=True, ensure_ascii=False)
        + "\n"
    )


#: Methods that write: each accepts an ``Idempotency-Key`` (accord.core.once).
WRITE_METHODS = ("post", "put", "patch", "delete")

IDEMPOTENCY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "Optional. A key of your choosing (1 to 255 printable ASCII characters, no spaces), "
        "new for each distinct write. The first answer to a key is stored for your account and "
        "this method and path, and a repeat with the same key and body gets that answer again, "
        "marked `Idempotent-Replayed: true`, without the write being done twice. The same key "
        "with a different body answers 422; a repeat while the first is still running answers "
        "409. Keys are kept for 24 hours."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
}

_ERROR_RESPONSES = {
    409: "Conflict: a request with this Idempotency-Key is still being processed.",
    422: "Unprocessable Entity",
}


def document_idempotency(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the Idempotency-Key header, and the answers it can give, to every write operation."""
    components = schema.setdefault("components", {})
    components.setdefault("parameters", {})["IdempotencyKey"] = IDEMPOTENCY_PARAMETER
    reference = {"$ref": "#/components/parameters/IdempotencyKey"}
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in WRITE_METHODS:
                continue
            operation.setdefault("parameters", []).append(reference)
            responses = operation.setdefault("responses", {})
            for status, description in _ERROR_RESPONSES.items():
                responses.setdefault(status, {**error, "description": description})
    return schema
