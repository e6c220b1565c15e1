"""Invoiced income by funding on the service statistics page: a chart, a table and the CSV,
from three aggregate queries whatever the number of invoices."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accord.fees import income, services
from accord.fees.tests.test_fees import family  # noqa: F401  (the fixture)
from accord.records import statistics

pytestmark = pytest.mark.django_db


def _issued_and_paid(case: Any, service: Any) -> Any:
    invoice = services.invoice_issue(
        actor=service.coordinator,
        invoice=services.invoices_raise(actor=service.coordinator, case=case)[0],
    )
    services.payment_record(
        actor=service.coordinator,
        invoice=invoice,
        paid_on=timezone.localdate(),
        amount="44.00",
        method="card",
    )
    return invoice


def test_the_fees_app_is_the_registered_income_source() -> None:
    assert income.income_by_funding in statistics.INCOME_SOURCES


def test_income_by_funding_counts_invoices_the_voucher_and_payments(
    family: Any,  # noqa: F811
    service: Any,
) -> None:
    today = timezone.localdate()
    assert income.income_by_funding(service.organisation, today, today) == {}
    _issued_and_paid(family, service)
    with CaptureQueriesContext(connection) as queries:
        figures = income.income_by_funding(service.organisation, today, today)
    assert len(queries) == 3
    # Bob: half of a two-hour session at £120 an hour plus VAT (£144.00), less his £100 voucher.
    assert figures == {
        income.INVOICED["voucher"]: 4400,
        income.VOUCHER_LABEL: 10000,
        income.PAID_LABEL: 4400,
    }
    # Another period holds none of it.
    yesterday = today - dt.timedelta(days=1)
    assert income.income_by_funding(service.organisation, yesterday, yesterday) == {}


def test_the_statistics_page_shows_income_as_chart_table_and_csv(
    family: Any,  # noqa: F811
    service: Any,
) -> None:
    _issued_and_paid(family, service)
    client = Client()
    client.force_login(service.admin)
    today = timezone.localdate()
    query = {"start": (today - dt.timedelta(days=30)).isoformat(), "end": today.isoformat()}
    page = client.get(reverse("records:statistics"), query).content.decode()
    assert "Income by funding" in page and "£100.00" in page and "£44.00" in page
    assert "records/statistics/income-by-funding.svg" in page
    chart = client.get(reverse("records:statistics_chart", args=["income-by-funding"]), query)
    assert chart.status_code == 200 and b"<svg" in chart.content
    csv_text = client.get(reverse("records:statistics_csv"), query).content.decode()
    assert f"Income by funding,{income.VOUCHER_LABEL},100.00," in csv_text
    assert f"Income by funding,{income.PAID_LABEL},44.00," in csv_text
