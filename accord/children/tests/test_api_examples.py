"""The children operations added so that everything the children pages do is in the API
(issue 15, item 9): each is documented with an example in its body or success response."""

from __future__ import annotations

import pytest

from accord.api.tests.test_examples import SCHEMA, _documented

ADDED = [
    ("post", "/api/v1/cases/{case_id}/children/import"),
    ("post", "/api/v1/cases/{case_id}/children/offers/{offer_id}/consultant"),
    ("post", "/api/v1/cases/{case_id}/children/offers/{offer_id}/meeting"),
    ("post", "/api/v1/cases/{case_id}/children/offers/{offer_id}/record"),
    ("post", "/api/v1/cases/{case_id}/children/offers/{offer_id}/share"),
    ("post", "/api/v1/cases/{case_id}/children/offers/{offer_id}/concern"),
    ("get", "/api/v1/child-consultants"),
    ("put", "/api/v1/child-consultants/{profile_id}"),
    ("get", "/api/v1/cases/{case_id}/schedules/compare"),
    ("get", "/api/v1/cases/{case_id}/schedules/{schedule_id}"),
    ("get", "/api/v1/cases/{case_id}/schedules/{schedule_id}/time"),
    ("get", "/api/v1/cases/{case_id}/maintenance/agreed"),
    ("get", "/api/v1/cases/{case_id}/maintenance/inputs"),
    ("get", "/api/v1/cases/{case_id}/maintenance/{estimate_id}"),
    ("post", "/api/v1/cases/{case_id}/maintenance/{estimate_id}/agree"),
    ("delete", "/api/v1/school-terms/{term_id}"),
]


@pytest.mark.parametrize(("method", "path"), ADDED)
def test_each_added_children_operation_has_an_example(method: str, path: str) -> None:
    assert _documented(SCHEMA["paths"][path][method]), f"{method.upper()} {path}"
