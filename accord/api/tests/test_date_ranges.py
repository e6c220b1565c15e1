"""Every date in every API write refuses a date outside its sane range (issue 17, item 12).

Like test_typed_text, the operations come from the committed OpenAPI schema, so the newer
apps' endpoints (finance, children, fees, complaints, records, SEND, ...) are covered the day
they are added. Each date or date-time field, at the top of a body or inside a nested object
or list of objects, gets a date before 1900 and then one twenty years ahead while everything
else is valid: the answer must be a 422 that names the field, and nothing may be written.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from accord.api.tests.conftest import session_client
from accord.api.tests.test_typed_text import SCHEMA, _example, _resolve, _row_counts

#: Far outside every field's range (1900 to ten years ahead at most).
OUT_OF_RANGE = {
    "date": {"too-early": "1850-06-01", "too-late": "2099-06-01"},
    "date-time": {
        "too-early": "1850-06-01T10:00:00+00:00",
        "too-late": "2099-06-01T10:00:00+00:00",
    },
}


def _date_format(schema: dict[str, Any]) -> str | None:
    schema = _resolve(schema)
    for option in schema.get("anyOf", [schema]):
        option = _resolve(option)
        if option.get("type") == "string" and option.get("format") in OUT_OF_RANGE:
            return str(option["format"])
    return None


def _valid(body: dict[str, Any]) -> dict[str, Any]:
    return {name: _example(prop) for name, prop in body.get("properties", {}).items()}


def _date_paths(body: dict[str, Any]) -> list[tuple[tuple[str, ...], str, dict[str, Any]]]:
    """(path to the field, its format, a valid payload with that path filled) for each date."""
    found: list[tuple[tuple[str, ...], str, dict[str, Any]]] = []
    for name, prop in body.get("properties", {}).items():
        fmt = _date_format(prop)
        if fmt:
            found.append(((name,), fmt, _valid(body)))
            continue
        resolved = _resolve(prop)
        options = [_resolve(o) for o in resolved.get("anyOf", [resolved])]
        for option in options:
            nested, wrap = None, None
            if option.get("type") == "object" and option.get("properties"):
                nested, wrap = option, "object"
            elif option.get("type") == "array":
                item = _resolve(option.get("items", {}))
                if item.get("type") == "object" and item.get("properties"):
                    nested, wrap = item, "array"
            if nested is None:
                continue
            for inner, inner_fmt, inner_valid in _date_paths(nested):
                payload = _valid(body)
                payload[name] = [inner_valid] if wrap == "array" else inner_valid
                path = (name, "0", *inner) if wrap == "array" else (name, *inner)
                found.append((path, inner_fmt, payload))
            break
    return found


def _set(payload: Any, path: tuple[str, ...], value: str) -> None:
    for step in path[:-1]:
        payload = payload[int(step)] if isinstance(payload, list) else payload[step]
    payload[path[-1]] = value


def _cases() -> list[tuple[str, str, tuple[str, ...], str, dict[str, Any]]]:
    cases = []
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if method not in {"post", "put", "patch"} or "application/json" not in content:
                continue
            body = _resolve(content["application/json"]["schema"])
            for field, fmt, payload in _date_paths(body):
                cases.append((method, path, field, fmt, payload))
    return cases


DATES = _cases()


def test_the_schema_has_the_date_fields_this_test_relies_on():
    fields = {(path, field[-1]) for _, path, field, _, _ in DATES}
    assert ("/api/v1/cases/{case_id}/children", "date_of_birth") in fields
    assert "valuation_date" in {field for _, field in fields}  # finance disclosure
    assert ("/api/v1/cases/{case_id}/invoices/{invoice_id}/payments", "paid_on") in fields
    assert len(DATES) >= 20


@pytest.mark.parametrize("which", ["too-early", "too-late"])
@pytest.mark.parametrize(
    ("method", "path", "field", "fmt", "payload"),
    DATES,
    ids=[f"{m} {p.removeprefix('/api/v1')} {'.'.join(f)}" for m, p, f, _, _ in DATES],
)
def test_every_api_date_refuses_a_date_out_of_range(
    service, method, path, field, fmt, payload, which
):
    import copy

    url = re.sub(r"\{case_id\}", str(service.case.pk), path.removeprefix("/api/v1"))
    url = re.sub(r"\{\w+_id\}", "1", url)
    body = copy.deepcopy(payload)
    _set(body, field, OUT_OF_RANGE[fmt][which])
    api = session_client(service.coordinator)
    before = _row_counts()

    response = getattr(api, method)(url, body)

    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    named = [key for key in errors if key.split(".")[-1] == field[-1]]
    assert named, errors
    assert "Check the" in errors[named[0]][0] or "date of birth" in errors[named[0]][0], errors
    assert _row_counts() == before


@pytest.mark.parametrize("moment", ["0001-01-01T00:30:00+05:00", "9999-12-31T23:30:00-05:00"])
def test_a_moment_at_the_edge_of_the_calendar_is_a_422_not_a_500(service, moment: str):
    """Schemathesis found it: converting such a moment to London time overflows Python's dates."""
    api = session_client(service.coordinator)
    before = _row_counts()
    response = api.post(
        f"/cases/{service.case.pk}/miams",
        {
            "attendee_ids": [service.case.participants.order_by("pk").first().pk],
            "mediator_id": service.mediator.pk,
            "starts_at": moment,
            "duration_minutes": 60,
            "mode": "video",
            "place": "https://meet.example/x",
        },
    )
    assert response.status_code == 422, response.content
    assert "starts_at" in str(response.json()["errors"])
    assert _row_counts() == before
