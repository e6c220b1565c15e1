"""The SEND operations added for issue 15 (item 9) each carry an example in their request body
or success response, detected as the API-wide check detects it."""

from __future__ import annotations

import pytest

from accord.api.tests.test_examples import SCHEMA, _documented

SEND_ADDED = [
    ("post", "/api/v1/cases/{case_id}/send/health-notified"),
    ("post", "/api/v1/cases/{case_id}/send/not-arranged"),
    ("post", "/api/v1/cases/{case_id}/send/short-notice-consent"),
    ("get", "/api/v1/cases/{case_id}/send/attendees"),
    ("post", "/api/v1/cases/{case_id}/send/attendees"),
    ("post", "/api/v1/cases/{case_id}/send/attendees/{attendee_id}/terms"),
    ("post", "/api/v1/cases/{case_id}/send/calls"),
    ("put", "/api/v1/cases/{case_id}/send/preparation"),
    ("post", "/api/v1/cases/{case_id}/send/permission"),
    ("post", "/api/v1/cases/{case_id}/send/permission/request"),
    ("get", "/api/v1/cases/{case_id}/send/run-sheet"),
    ("post", "/api/v1/cases/{case_id}/send/stop"),
    ("post", "/api/v1/cases/{case_id}/send/outcome"),
    ("get", "/api/v1/cases/{case_id}/send/clocks"),
    ("get", "/api/v1/send/report"),
]


@pytest.mark.parametrize(("method", "path"), SEND_ADDED)
def test_each_send_operation_added_for_issue_15_has_an_example(method: str, path: str) -> None:
    assert path in SCHEMA["paths"] and method in SCHEMA["paths"][path]
    assert _documented(SCHEMA["paths"][path][method])


def test_every_send_operation_has_an_example() -> None:
    send = [
        f"{method.upper()} {path}"
        for path, methods in SCHEMA["paths"].items()
        if "/send" in path
        for method, operation in methods.items()
        if not _documented(operation)
    ]
    assert send == []
