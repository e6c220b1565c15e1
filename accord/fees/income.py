"""The fees part's income figures for the service statistics page (`records.statistics`).

Registered as an income source (`statistics.INCOME_SOURCES`) by the app config. Every figure is
one aggregate query, so the page costs the same at 100,000 cases as at 100: invoices and credit
notes issued in the period by the funding of the party invoiced, what the Family Mediation
Voucher pays towards them (claimed from the FMC), and the payments received in the period.
Amounts are whole pence (integers), never floats.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import F, Sum

from accord.calendar import london_wall_time
from accord.fees.calculator import VOUCHER
from accord.fees.models import Invoice, InvoiceLine, InvoiceStatus, Payment
from accord.organisations.models import Organisation

#: Labels per funding kind of the party invoiced (`meetings.FundingKind`); none: not recorded.
INVOICED = {
    "private": "Invoiced to parties paying privately",
    "voucher": "Invoiced to parties with a voucher (their own share)",
    "legal_aid": "Invoiced to parties not covered by legal aid (work outside it)",
    "not_yet_known": "Invoiced to parties whose funding is not yet known",
    None: "Invoiced to parties whose funding is not recorded",
}
VOUCHER_LABEL = "Family Mediation Voucher (claimed from the FMC)"
PAID_LABEL = "Payments received"


def _pence(amount: Decimal | None) -> int:
    return int((amount or Decimal("0")) * 100)


def income_by_funding(organisation: Organisation, start: dt.date, end: dt.date) -> dict[str, int]:
    """Income of the period in pence, by funding (three aggregate queries)."""
    lo = london_wall_time(start, dt.time(0, 0))
    hi = london_wall_time(end + dt.timedelta(days=1), dt.time(0, 0))
    issued = Invoice.objects.filter(
        organisation=organisation, status=InvoiceStatus.ISSUED, issued_at__gte=lo, issued_at__lt=hi
    )
    result: dict[str, int] = {}
    for kind, total in (
        issued.order_by()
        .values_list(F("participant__funding__kind"))
        .annotate(total=Sum("total"))
        .values_list("participant__funding__kind", "total")
    ):
        label = INVOICED.get(kind, INVOICED[None])
        result[label] = result.get(label, 0) + _pence(total)
    voucher = InvoiceLine.objects.filter(invoice__in=issued, kind=VOUCHER).aggregate(
        s=Sum("gross")
    )["s"]
    if voucher:
        result[VOUCHER_LABEL] = -_pence(voucher)
    paid = Payment.objects.filter(
        organisation=organisation, paid_on__gte=start, paid_on__lte=end
    ).aggregate(s=Sum("amount"))["s"]
    if paid:
        result[PAID_LABEL] = _pence(paid)
    return result
