"""The MIAM, screening, funding and override operations added for issue 15 (item 9) each carry
an example in their request body or success response."""

from __future__ import annotations

import pytest

from accord.api.tests.test_examples import SCHEMA, _documented

ADDED = [
    ("post", "/api/v1/cases/{case_id}/miams/record-past"),
    ("post", "/api/v1/cases/{case_id}/screenings"),
    ("post", "/api/v1/cases/{case_id}/miams/{miam_id}/screenings/{participant_id}/concern"),
    ("get", "/api/v1/cases/{case_id}/funding"),
    ("put", "/api/v1/cases/{case_id}/funding/{participant_id}"),
    ("post", "/api/v1/cases/{case_id}/mediation/override"),
]


@pytest.mark.parametrize(("method", "path"), ADDED)
def test_each_added_operation_is_documented_with_an_example(method: str, path: str) -> None:
    assert _documented(SCHEMA["paths"][path][method])
