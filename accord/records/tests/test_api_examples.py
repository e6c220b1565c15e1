"""The records operations added so that the API does what the records pages do (issue 15,
item 9) each document an example in their request body or success response."""

from __future__ import annotations

import pytest

from accord.api.tests.test_examples import SCHEMA, _documented

ADDED = [
    ("get", "/api/v1/records/retention-schedule"),
    ("put", "/api/v1/records/retention-schedule"),
    ("get", "/api/v1/records/retention-report"),
    ("get", "/api/v1/records/holds"),
    ("post", "/api/v1/records/holds"),
    ("post", "/api/v1/records/holds/{hold_id}/release"),
    ("get", "/api/v1/erasure-requests"),
    ("post", "/api/v1/erasure-requests"),
    ("post", "/api/v1/cases/{case_id}/erasure-requests"),
    ("get", "/api/v1/erasure-requests/{request_id}"),
    ("post", "/api/v1/erasure-requests/{request_id}/carry-out"),
    ("post", "/api/v1/erasure-requests/{request_id}/refuse"),
]


@pytest.mark.parametrize(("method", "path"), ADDED)
def test_each_added_records_operation_is_documented_with_an_example(method: str, path: str) -> None:
    assert _documented(SCHEMA["paths"][path][method])
