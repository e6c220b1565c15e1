"""The fees operations added so that the API does what the fees pages do (issue 15, item 9)
each document an example in their request body or success response."""

from __future__ import annotations

import pytest

from accord.api.tests.test_examples import SCHEMA, _documented

ADDED = [
    ("post", "/api/v1/fees/schedule/{rate_id}/end"),
    ("get", "/api/v1/fees/legal-aid-thresholds"),
    ("post", "/api/v1/fees/legal-aid-thresholds"),
    ("get", "/api/v1/fees/reports/payments"),
    ("get", "/api/v1/fees/reports/invoices"),
    ("get", "/api/v1/fees/reports/legal-aid-claims"),
    ("get", "/api/v1/fees/reports/voucher-claims"),
    ("get", "/api/v1/cases/{case_id}/fees"),
    ("put", "/api/v1/cases/{case_id}/fees/sharing"),
    ("put", "/api/v1/cases/{case_id}/fees/voucher"),
    ("get", "/api/v1/cases/{case_id}/fees/means"),
    ("post", "/api/v1/cases/{case_id}/fees/means"),
    ("get", "/api/v1/cases/{case_id}/invoices/{invoice_id}"),
    ("patch", "/api/v1/cases/{case_id}/invoices/{invoice_id}"),
    ("post", "/api/v1/cases/{case_id}/invoices/{invoice_id}/discard"),
    ("post", "/api/v1/cases/{case_id}/invoices/{invoice_id}/credit-notes"),
    ("get", "/api/v1/cases/{case_id}/invoices/{invoice_id}/payments"),
]


@pytest.mark.parametrize(("method", "path"), ADDED)
def test_each_added_fees_operation_is_documented_with_an_example(method: str, path: str) -> None:
    assert _documented(SCHEMA["paths"][path][method])


def test_the_fees_operations_that_existed_before_now_have_examples_too() -> None:
    before = [
        ("get", "/api/v1/fees/schedule"),
        ("post", "/api/v1/fees/schedule"),
        ("get", "/api/v1/cases/{case_id}/invoices"),
        ("post", "/api/v1/cases/{case_id}/invoices"),
        ("post", "/api/v1/cases/{case_id}/invoices/{invoice_id}/issue"),
        ("post", "/api/v1/cases/{case_id}/invoices/{invoice_id}/payments"),
    ]
    assert [p for m, p in before if not _documented(SCHEMA["paths"][p][m])] == []
