"""The deadline settings operations added so that the API does what the settings page does
(issue 15, item 9) each document an example in their request body or success response."""

from __future__ import annotations

import pytest

from accord.api.tests.test_examples import SCHEMA, _documented

ADDED = [
    ("get", "/api/v1/deadlines/settings/closures"),
    ("post", "/api/v1/deadlines/settings/closures"),
    ("delete", "/api/v1/deadlines/settings/closures/{day_id}"),
    ("get", "/api/v1/deadlines/settings/rules"),
    ("post", "/api/v1/deadlines/settings/rules"),
]


@pytest.mark.parametrize(("method", "path"), ADDED)
def test_each_added_deadline_settings_operation_is_documented_with_an_example(
    method: str, path: str
) -> None:
    assert _documented(SCHEMA["paths"][path][method])
