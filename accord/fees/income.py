"""The fees part's income figures for the service statistics page (`records.statistics`).

Registered as an income source (`statistics.INCOME_SOURCES`) by the app config. Every figure is
one aggregate query, so the page costs the same at 100,000 cases as at 100: invoices and credit
notes issued in the period by the funding of the party invoiced, what the Family Mediation
Voucher pays towards them (claimed from the FMC), and the payments received in the period.
Amounts are whole pence (integers), never floats.
"""

from __future__ import annotations

import datetime as dt
from decimal import Context, Decimal
from typing import Any

from django.db import connection
from django.db.models import Sum

from accord.calendar import london_wall_time
from accord.fees.calculator import VOUCHER
from accord.fees.models import Invoice, InvoiceLine, InvoiceStatus, Payment
from accord.meetings.models import Funding
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


def _decimal(value: Any) -> Decimal | None:
    """A raw SUM of a money column as the ORM gives it: SQLite returns a float, which Django
    reads to 15 significant digits and rounds to the field's pence."""
    if isinstance(value, float):
        return Context(prec=15).create_decimal_from_float(value).quantize(Decimal("0.01"))
    return value


def income_by_funding(organisation: Organisation, start: dt.date, end: dt.date) -> dict[str, int]:
    """Income of the period in pence, by funding (three aggregate queries)."""
    lo = london_wall_time(start, dt.time(0, 0))
    hi = london_wall_time(end + dt.timedelta(days=1), dt.time(0, 0))
    issued = Invoice.objects.filter(
        organisation=organisation, status=InvoiceStatus.ISSUED, issued_at__gte=lo, issued_at__lt=hi
    )
    result: dict[str, int] = {}
    # Each invoice's party straight to its funding (`Funding.participant_id` is unique): the
    # ORM's path through the participants table would read a participant row per invoice.
    invoices_sql, params = (
        issued.order_by().values("participant_id", "total").query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            # The inner SQL is Django's own compiled query; values stay parameters.
            f"SELECT funding.kind, SUM(invoice.total) FROM ({invoices_sql}) invoice "  # noqa: S608
            f"LEFT JOIN {Funding._meta.db_table} funding "
            "ON funding.participant_id = invoice.participant_id GROUP BY funding.kind",
            params,
        )
        by_kind = cursor.fetchall()
    for kind, total in by_kind:
        label = INVOICED.get(kind, INVOICED[None])
        result[label] = result.get(label, 0) + _pence(_decimal(total))
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
