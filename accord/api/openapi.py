"""The committed OpenAPI schema: how it is rendered, and where it lives.

The schema is committed so that a change to the API shows up in review as a diff to
``accord/api/openapi.json``; a test fails when the code and the file disagree.
"""

from __future__ import annotations

import json
from pathlib import Path

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
