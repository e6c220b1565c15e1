"""The committed OpenAPI schema matches the code, and the docs page is served locally."""

from __future__ import annotations

import difflib

from django.core.management import call_command
from django.test import Client

from accord.api.openapi import REGENERATE_COMMAND, SCHEMA_PATH, render_schema


def test_the_committed_openapi_schema_matches_the_code():
    committed = SCHEMA_PATH.read_text(encoding="utf-8") if SCHEMA_PATH.exists() else ""
    current = render_schema()

    if committed != current:
        diff = "".join(
            difflib.unified_diff(
                committed.splitlines(keepends=True),
                current.splitlines(keepends=True),
                fromfile="accord/api/openapi.json (committed)",
                tofile="accord/api/openapi.json (from the code)",
                n=2,
            )
        )
        raise AssertionError(
            f"The API changed but its committed schema did not. Run `{REGENERATE_COMMAND}`, "
            f"review the diff and commit accord/api/openapi.json.\n\n{diff[:6000]}"
        )


def test_the_export_command_writes_the_same_schema(tmp_path):
    output = tmp_path / "openapi.json"

    call_command("export_openapi", output=output)

    assert output.read_text(encoding="utf-8") == render_schema()


def test_the_schema_documents_both_ways_to_sign_in_and_the_error_shape():
    import json

    schema = json.loads(render_schema())

    assert schema["info"]["title"] == "Accord API"
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}
    stage = schema["paths"]["/api/v1/cases/{case_id}/stage"]["post"]
    # 409: a write whose Idempotency-Key is still being processed (accord.core.once).
    assert set(stage["responses"]) == {"200", "400", "401", "403", "404", "409", "422"}
    assert schema["components"]["schemas"]["ErrorOut"]["required"] == ["detail", "errors"]


def test_the_interactive_docs_load_nothing_from_a_cdn(db):
    response = Client().get("/api/v1/docs")

    assert response.status_code == 200
    assert "cdn" not in response.content.decode().lower()


def test_every_write_documents_the_idempotency_key_header_and_its_answers():
    import json

    schema = json.loads(render_schema())
    parameter = schema["components"]["parameters"]["IdempotencyKey"]
    assert (parameter["name"], parameter["in"], parameter["required"]) == (
        "Idempotency-Key",
        "header",
        False,
    )
    writes = [
        (path, method, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in {"post", "put", "patch", "delete"}
    ]
    assert len(writes) > 100
    reference = {"$ref": "#/components/parameters/IdempotencyKey"}
    for path, method, operation in writes:
        assert reference in operation["parameters"], (method, path)
        for status in ("409", "422"):
            content = operation["responses"][status]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/ErrorOut"}, (path, status)
    reads = [op for ops in schema["paths"].values() for m, op in ops.items() if m == "get"]
    assert all(reference not in op.get("parameters", []) for op in reads)
