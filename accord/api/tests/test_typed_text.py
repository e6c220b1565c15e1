"""Every text field of every API write refuses control and text-direction characters.

The operations are read from the committed OpenAPI schema, so a new endpoint is covered the day
it is added. Each text field in turn gets a hostile value while every other field is valid: the
answer must be a 422 naming that field, and nothing may be written (on PostgreSQL a NUL used to
reach the database and answer 500).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from pydantic import BaseModel

from accord.api.tests.conftest import session_client, token_client
from accord.rooms.models import Message

SCHEMA = json.loads((Path(__file__).parents[1] / "openapi.json").read_text())
COMPONENTS = SCHEMA["components"]["schemas"]

#: Refused in every text field: NUL, BEL, a C1 control, DEL, right-to-left override, an
#: isolate, and a lone surrogate (not a character at all).
HOSTILE = {
    "nul": "before\x00after",
    "bell": "ring\x07",
    "c1": "csi\x9b31m",
    "delete": "rub\x7fout",
    "rlo": "invoice\u202efdp.exe",
    "isolate": "\u2067name\u2069",
    "surrogate": "half\ud800",
}


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return COMPONENTS[schema["$ref"].rsplit("/", 1)[1]]
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _resolve(schema["allOf"][0])
    return schema


def _example(schema: dict[str, Any]) -> Any:
    """A value of the right type for a field that is not under test."""
    schema = _resolve(schema)
    if "anyOf" in schema:
        return _example(schema["anyOf"][0])
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "string":
        return {"date": "2026-12-01", "date-time": "2026-12-01T10:00:00+00:00"}.get(
            schema.get("format", ""), "ok"
        )
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return True
    if kind == "array":
        return []
    return None


def _text_fields(body: dict[str, Any]) -> list[tuple[str, bool]]:
    """(name, is a list of strings) for every text field of a request body."""
    fields = []
    for name, prop in body.get("properties", {}).items():
        prop = _resolve(prop)
        options = prop.get("anyOf", [prop])
        free = [o for o in options if not {"format", "enum", "const"} & o.keys()]
        if any(o.get("type") == "string" for o in free):
            fields.append((name, False))
        elif prop.get("type") == "array":
            item = _resolve(prop["items"])
            # A list of choices (roles, kinds) refuses anything else as an unknown choice.
            if item.get("type") == "string" and not {"format", "enum", "const"} & item.keys():
                fields.append((name, True))
    return fields


def _write_operations() -> list[tuple[str, str, str, bool, dict[str, Any]]]:
    cases = []
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if method not in {"post", "put", "patch"} or "application/json" not in content:
                continue
            body = _resolve(content["application/json"]["schema"])
            valid = {name: _example(prop) for name, prop in body.get("properties", {}).items()}
            for field, is_list in _text_fields(body):
                cases.append((method, path, field, is_list, valid))
    return cases


WRITES = _write_operations()


def test_the_schema_has_the_write_endpoints_this_test_relies_on():
    fields = {(path, field) for _, path, field, _, _ in WRITES}
    assert ("/api/v1/cases/{case_id}/rooms/{room_id}/messages", "body") in fields
    assert ("/api/v1/cases/{case_id}/agenda/items", "title") in fields
    assert ("/api/v1/cases/{case_id}/participants", "safe_contact_methods") in fields
    assert len(WRITES) >= 30


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.mark.parametrize("hostile", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize(
    ("method", "path", "field", "is_list", "valid"),
    WRITES,
    ids=[f"{m} {p.removeprefix('/api/v1')} {f}" for m, p, f, _, _ in WRITES],
)
def test_every_api_text_field_refuses_control_and_direction_characters(
    service, method, path, field, is_list, valid, hostile
):
    case = service.case
    url = re.sub(r"\{case_id\}", str(case.pk), path.removeprefix("/api/v1"))
    url = re.sub(r"\{\w+_id\}", "1", url)
    payload = {**valid, field: [hostile] if is_list else hostile}
    api = session_client(service.coordinator)
    before = _row_counts()

    response = getattr(api, method)(url, payload)

    assert response.status_code == 422, response.content
    body = response.json()
    assert field in body["errors"], body
    assert any(
        word in body["errors"][field][0] for word in ("Remove the invisible", "not valid text")
    ), body
    assert _row_counts() == before


def test_a_room_message_with_a_nul_is_refused_and_a_line_break_is_kept(service, sessions_ready):
    from accord.rooms.services import rooms_ensure

    room = rooms_ensure(case=service.case)[0]
    api = token_client(service.mediator)
    url = f"/cases/{service.case.pk}/rooms/{room.pk}/messages"
    before = Message.objects.count()

    refused = api.post(url, {"body": "Hello\x00there"})
    kept = api.post(url, {"body": "Line one\nLine two\tand a tab"})

    assert refused.status_code == 422
    assert refused.json()["errors"]["body"] == [
        "Remove the invisible control character (U+0000): it cannot be saved."
    ]
    assert kept.status_code == 201, kept.content
    assert Message.objects.count() == before + 1
    assert Message.objects.order_by("-pk")[0].body == "Line one\nLine two\tand a tab"


def test_a_one_line_name_refuses_a_line_break_and_a_direction_mark(service):
    api = token_client(service.coordinator)
    url = f"/cases/{service.case.pk}/participants"

    broken = api.post(url, {"role": "party", "full_name": "Eve\nAdams"})
    marked = api.post(url, {"role": "party", "full_name": "Eve\u200fAdams"})

    assert broken.json()["errors"]["full_name"] == [
        "Keep this on one line: remove the line break or tab."
    ]
    assert marked.status_code == 422
    assert "U+200F" in marked.json()["errors"]["full_name"][0]


def test_a_search_drops_control_characters_instead_of_failing(service):
    api = token_client(service.coordinator)

    response = api.get("/cases", q="Smith\x00\u202e")

    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == ["Smith / Jones"]


def test_every_api_input_schema_applies_the_text_rule():
    """A body or query schema that forgets the base class would let NUL through again."""
    from ninja.params.models import ParamModel

    from accord.api.api import api
    from accord.api.schemas import InputSchema

    missing = []
    for _, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    if not issubclass(model, ParamModel):
                        continue
                    for name, info in model.model_fields.items():
                        kind = info.annotation
                        if isinstance(kind, type) and issubclass(kind, InputSchema):
                            continue
                        nested = (
                            isinstance(kind, type)
                            and issubclass(kind, BaseModel)
                            and any(
                                f.annotation in (str, list[str]) for f in kind.model_fields.values()
                            )
                        )
                        if (kind is str or kind == list[str] or nested) and not _held_to_pattern(
                            info
                        ):
                            missing.append(f"{operation.view_func.__name__}.{name}")
    assert missing == []


def _held_to_pattern(info: Any) -> bool:
    """A text parameter held to a pattern that no NUL, escape or direction character can pass
    (a service's slug, a YYYY-MM month) needs no text rule."""
    import re

    patterns = [getattr(m, "pattern", None) for m in info.metadata]
    pattern = next((p for p in patterns if p), None)
    if pattern is None:
        return False
    return all(re.search(pattern, text) is None for text in ("\x00", "1\x00", "A\x1b", "\u202eA"))


def test_a_pattern_held_parameter_refuses_control_characters():
    import re
    from typing import get_args

    from accord.children.api import MonthParam

    field = get_args(MonthParam)[1]
    pattern = next(m.pattern for m in field.metadata if hasattr(m, "pattern"))

    assert re.search(pattern, "2027-01") and re.search(pattern, "")
    assert re.search(pattern, "2027-01\x00") is None


#: Characters a generator rarely picks on its own but that matter most here.
_NASTY = [
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\x85",
    "\u202e",
    "\u2066",
    "\u200f",
    "\ud800",
    "\n",
    "\t",
]
#: Write operations whose only path parameter is the case, so valid text reaches the service.
CASE_WRITES = [w for w in WRITES if re.findall(r"\{(\w+)\}", w[1]) == ["case_id"]]


def test_arbitrary_text_in_any_api_text_field_is_refused_or_taken_never_a_server_error(service):
    """A property over every text field of every case write: any string, with NUL, controls,
    direction characters and lone surrogates mixed in, answers below 500; one that even a
    multi-line field refuses answers 422 naming the field. Run on PostgreSQL it proves NUL
    never reaches the database; on SQLite it proves the same answers."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from accord.core.text import text_problem

    api = session_client(service.coordinator)
    alphabet = st.one_of(st.characters(), st.sampled_from(_NASTY))

    @settings(
        max_examples=120,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(write=st.sampled_from(CASE_WRITES), text=st.text(alphabet, min_size=1, max_size=40))
    def check(write, text):
        method, path, field, is_list, valid = write
        url = path.removeprefix("/api/v1").replace("{case_id}", str(service.case.pk))
        payload = {**valid, field: [text] if is_list else text}

        response = getattr(api, method)(url, payload)

        assert response.status_code < 500, (method, url, field, text, response.content[:300])
        if text_problem(text, multiline=True) is not None:
            assert response.status_code == 422, (method, url, field, text)
            assert field in response.json()["errors"], response.json()

    assert len(CASE_WRITES) >= 20
    check()
