"""The operations added for the enquiry, portal and willingness pages and the agreement wording
are documented with examples (issue 15, item 9)."""

from __future__ import annotations

import pytest

from accord.api.tests.test_examples import SCHEMA, _documented

ADDED = [
    ("post", "/api/v1/enquiries/family"),
    ("post", "/api/v1/enquiries/send"),
    ("post", "/api/v1/enquiries/general"),
    ("post", "/api/v1/services/{service_slug}/enquiries/family"),
    ("post", "/api/v1/services/{service_slug}/enquiries/send"),
    ("post", "/api/v1/services/{service_slug}/enquiries/general"),
    ("post", "/api/v1/cases/{case_id}/participants/{participant_id}/portal-invitation"),
    ("post", "/api/v1/cases/{case_id}/willingness/invitations"),
    ("get", "/api/v1/agreement-templates"),
    ("get", "/api/v1/agreement-templates/{kind_group}/versions"),
    ("get", "/api/v1/agreement-templates/{kind_group}/versions/{version}"),
    ("post", "/api/v1/agreement-templates/{kind_group}/versions"),
    ("post", "/api/v1/agreement-templates/{kind_group}/preview"),
]


@pytest.mark.parametrize(("method", "path"), ADDED)
def test_each_added_operation_has_an_example(method: str, path: str) -> None:
    assert _documented(SCHEMA["paths"][path][method])
