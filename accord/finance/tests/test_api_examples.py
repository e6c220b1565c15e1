"""The finance operations added for issue 15 (item 9) are documented with an example, in their
request body or their success response, as every operation added since the issue must be."""

from __future__ import annotations

import pytest

from accord.api.tests.test_examples import SCHEMA, _documented

ADDED = [
    ("post", "/api/v1/cases/{case_id}/disclosure-deadline"),
    ("post", "/api/v1/cases/{case_id}/financial-statement"),
    ("get", "/api/v1/cases/{case_id}/asset-schedule"),
    ("get", "/api/v1/cases/{case_id}/evidence/{evidence_id}/content"),
    ("post", "/api/v1/cases/{case_id}/scenarios"),
    ("post", "/api/v1/cases/{case_id}/scenarios/{scenario_id}/share"),
    ("post", "/api/v1/cases/{case_id}/scenarios/{scenario_id}/mou"),
    ("post", "/api/v1/cases/{case_id}/suggestions/scenario"),
    ("post", "/api/v1/cases/{case_id}/consent-pack"),
    ("get", "/api/v1/cases/{case_id}/consent-pack/deliveries"),
    ("post", "/api/v1/cases/{case_id}/consent-pack/deliveries"),
]


@pytest.mark.parametrize(("method", "path"), ADDED)
def test_each_added_finance_operation_is_documented_with_an_example(method, path):
    assert _documented(SCHEMA["paths"][path][method])


def test_the_finance_disclosure_schema_is_not_shadowed_by_another_apps():
    """Two schemas of one name collapse into one component: the finance list must describe its
    own disclosures (not the safeguarding app's `DisclosureOut`)."""
    listed = SCHEMA["paths"]["/api/v1/cases/{case_id}/disclosures"]["get"]["responses"]["200"]
    ref = listed["content"]["application/json"]["schema"]["items"]["$ref"]
    component = SCHEMA["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert {"participant_id", "party", "live", "items"} <= set(component["properties"])
