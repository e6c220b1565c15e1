"""The demo tells the fees story: Riverside's schedule and Khan / Wright invoiced and paid."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accord.cases.models import Case
from accord.demo.data import demo_load
from accord.fees.models import FeeRate, Invoice, InvoiceLine
from accord.fees.services import balance_of

pytestmark = pytest.mark.django_db


def test_the_demo_invoices_khan_wright_leaving_off_legal_aid_and_using_the_voucher() -> None:
    demo_load()
    case = Case.objects.get(title="Khan / Wright")
    assert FeeRate.objects.filter(organisation=case.organisation).exists()
    invoices = list(Invoice.objects.filter(case=case))
    assert [i.participant.full_name for i in invoices] == ["Daniel Wright"]
    invoice = invoices[0]
    assert invoice.number == 1 and invoice.total == Decimal("80.00")
    assert InvoiceLine.objects.get(invoice=invoice, kind="voucher").gross == Decimal("-100.00")
    assert balance_of(invoice) == 0
