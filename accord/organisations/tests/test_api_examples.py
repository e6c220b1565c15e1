"""The service settings operations added so that the API does what the settings page does
(issue 15, item 9) each document an example in their request body or success response."""

from __future__ import annotations

import pytest

from accord.api.tests.test_examples import SCHEMA, _documented

ADDED = [
    ("get", "/api/v1/service/settings"),
    ("put", "/api/v1/service/kinds-offered"),
    ("put", "/api/v1/service/party-api-tokens"),
]


@pytest.mark.parametrize(("method", "path"), ADDED)
def test_each_added_service_settings_operation_is_documented_with_an_example(
    method: str, path: str
) -> None:
    assert _documented(SCHEMA["paths"][path][method])
