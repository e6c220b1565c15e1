"""Bad query input gets a clear 422 on every operation of the schema: unknown parameters
(accord.api.strict_query), tampered cursors and page sizes out of range on every list.

The operations are read from the live schema, so an endpoint added later is covered without
touching this file.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from accord.api.openapi import render_schema
from accord.api.strict_query import UNKNOWN_PARAMETER
from accord.api.tests.conftest import snapshot, token_client
from accord.rooms.models import Room
from accord.rooms.services import rooms_ensure

SCHEMA = json.loads(render_schema())
PREFIX = "/api/v1"

OPERATIONS = [
    (method, path, operation)
    for path, methods in sorted(SCHEMA["paths"].items())
    for method, operation in sorted(methods.items())
]


def _query_parameters(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}


#: List operations: those that page (a `limit`), with the parameters that carry a position.
LISTS = [
    (method, path, operation)
    for method, path, operation in OPERATIONS
    if method == "get" and "limit" in _query_parameters(operation)
]
POSITION_PARAMETERS = {"cursor", "before", "after", "before_id", "after_id"}


def _url(path: str, ids: dict[str, int]) -> str:
    """The path with real ids where the test has them, else 1 (the check does not look)."""
    return re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), 1)), path)[len(PREFIX) :]


def _call(client: Any, method: str, url: str, params: dict[str, Any]) -> Any:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    full = f"{url}?{query}"
    if method == "get":
        return client.client.get("/api/v1" + full)
    return getattr(client.client, method)("/api/v1" + full, "{}", content_type="application/json")


@pytest.fixture
def ids(service: Any) -> dict[str, int]:
    rooms_ensure(case=service.case)
    return {
        "case_id": service.case.pk,
        "room_id": Room.objects.filter(case=service.case).values_list("pk", flat=True)[0],
    }


def test_the_schema_has_list_operations_to_check() -> None:
    # If this drops, the parametrised tests below silently check less.
    assert {path for _, path, _ in LISTS} >= {
        "/api/v1/cases",
        "/api/v1/enquiries",
        "/api/v1/cases/{case_id}/rooms/{room_id}/messages",
    }


def test_every_operation_refuses_unknown_query_parameters_naming_them(
    service: Any, ids: dict[str, int]
) -> None:
    # One loop rather than one test per operation: building the service dominates the cost.
    client = token_client(service.mediator)
    before = snapshot()
    wrong: list[str] = []
    for method, path, operation in OPERATIONS:
        label = f"{method.upper()} {path}"
        if "422" not in operation["responses"]:
            wrong.append(f"{label}: the 422 is not documented")
        response = _call(client, method, _url(path, ids), {"colour": "red", "stgae": "miam"})
        expected = {"colour": [UNKNOWN_PARAMETER], "stgae": [UNKNOWN_PARAMETER]}
        if response.status_code != 422 or response.json()["errors"] != expected:
            wrong.append(f"{label}: {response.status_code} {response.content[:200]!r}")

    assert wrong == []
    assert len(OPERATIONS) > 100
    assert snapshot() == before


def test_known_parameters_are_still_accepted(service: Any, ids: dict[str, int]) -> None:
    client = token_client(service.mediator)

    assert client.get("/cases", stage="miam", limit=5).status_code == 200
    assert token_client(service.coordinator).get("/enquiries", limit=5).status_code == 200
    messages = f"/cases/{ids['case_id']}/rooms/{ids['room_id']}/messages"
    assert client.get(messages, limit=5, after=0).status_code == 200


def test_an_unknown_parameter_does_not_tell_a_stranger_anything(anonymous: Any) -> None:
    response = anonymous.get("/cases", colour="red")

    assert response.status_code == 401
    assert "colour" not in response.content.decode()


@pytest.mark.parametrize("limit", ["0", "-1", "100000", "ten", "1.5", ""])
@pytest.mark.parametrize(("method", "path", "operation"), LISTS, ids=[p for _, p, _ in LISTS])
def test_page_sizes_out_of_range_are_refused_on_every_list(
    limit: str,
    method: str,
    path: str,
    operation: dict[str, Any],
    service: Any,
    ids: dict[str, int],
) -> None:
    client = token_client(service.coordinator)

    response = _call(client, method, _url(path, ids), {"limit": limit})

    assert response.status_code == 422, response.content[:300]
    assert list(response.json()["errors"]) == ["limit"]


@pytest.mark.parametrize("value", ["tampered", "-5", "1e999", "%00", "9" * 40])
@pytest.mark.parametrize(("method", "path", "operation"), LISTS, ids=[p for _, p, _ in LISTS])
def test_tampered_cursors_are_refused_on_every_list(
    value: str,
    method: str,
    path: str,
    operation: dict[str, Any],
    service: Any,
    ids: dict[str, int],
) -> None:
    positions = sorted(POSITION_PARAMETERS & set(_query_parameters(operation)))
    assert positions, f"{path} pages with a limit but has no cursor parameter"
    client = token_client(service.coordinator)
    for name in positions:
        response = _call(client, method, _url(path, ids), {name: value})

        assert response.status_code == 422, (name, response.content[:300])
        assert list(response.json()["errors"]) == [name]


def test_a_real_cursor_with_one_character_changed_is_refused(service: Any) -> None:
    from accord.api.tests.test_cases_api import open_cases

    open_cases(service, 4)
    client = token_client(service.coordinator)
    cursor = client.get("/cases", limit=2).json()["next_cursor"]
    assert cursor
    changed = cursor[:-3] + ("A" if cursor[-3] != "A" else "B") + cursor[-2:]

    response = client.get("/cases", limit=2, cursor=changed)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["cursor"]
