"""The complaints operation added so that the API does what the complaint page does (issue
15, item 9) documents an example in its request body or success response."""

from __future__ import annotations

from accord.api.tests.test_examples import SCHEMA, _documented

ADDED = [("post", "/api/v1/complaints/{complaint_id}/consent")]


def test_each_added_complaints_operation_is_documented_with_an_example() -> None:
    assert [p for m, p in ADDED if not _documented(SCHEMA["paths"][p][m])] == []
