"""Reads of fees for a user, through the case policy.

The case's staff (`view_workspace`) see every invoice of the case and its balances; a party sees
only their own issued invoices (never a draft, never another party's). The fee schedule and the
service's reports are for its administrators and coordinators.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, Sum

from accord.cases import policy as case_policy
from accord.cases.models import Case, Participant
from accord.core.errors import NotFoundOrHidden
from accord.fees.models import (
    FeeRate,
    FeeSharing,
    Invoice,
    InvoiceStatus,
    MeansAssessment,
    MeansThreshold,
    Payment,
)
from accord.fees.services import balance_of
from accord.organisations.models import Organisation, Role
from accord.organisations.selectors import roles_in

_OFFICE = frozenset({Role.SERVICE_ADMIN, Role.COORDINATOR})


def can_run_reports(user: Any, organisation_id: int) -> bool:
    """Service administrators and coordinators see the schedule, the exports and the claims."""
    return bool(roles_in(user, organisation_id) & _OFFICE)


def can_manage(user: Any, case: Case) -> bool:
    return case_policy.can(user, "change", case)


def rates_for(*, user: Any, organisation: Organisation) -> list[FeeRate]:
    if not can_run_reports(user, organisation.pk):
        raise NotFoundOrHidden("No such page.")
    return list(FeeRate.objects.filter(organisation=organisation))


def means_thresholds_for(*, user: Any, organisation: Organisation) -> list[MeansThreshold]:
    """The national legal aid thresholds and the service's own, newest first."""
    if not can_run_reports(user, organisation.pk):
        raise NotFoundOrHidden("No such page.")
    return list(
        MeansThreshold.objects.filter(
            Q(organisation=organisation) | Q(organisation__isnull=True)
        ).order_by("-effective_from", "organisation_id")
    )


@dataclass
class InvoiceRow:
    invoice: Invoice
    balance: Decimal
    paid: Decimal
    overdue: bool


def _rows(invoices: Any, today: dt.date) -> list[InvoiceRow]:
    rows = []
    for invoice in invoices:
        balance = balance_of(invoice)
        paid = sum((p.amount for p in invoice.payments.all()), Decimal("0"))
        rows.append(
            InvoiceRow(
                invoice,
                balance,
                paid,
                bool(
                    invoice.is_issued and balance > 0 and invoice.due_on and invoice.due_on < today
                ),
            )
        )
    return rows


def invoices_for_staff(*, user: Any, case: Case) -> list[InvoiceRow]:
    """Every invoice and credit note of the case, with balances, for its staff."""
    from django.utils import timezone

    if not case_policy.can(user, "view_workspace", case):
        raise NotFoundOrHidden("No such case.")
    invoices = (
        Invoice.objects.filter(case=case)
        .select_related("participant", "document_version", "credits")
        .prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("paid_on", "id")))
        .order_by("status", "number", "id")
    )
    return _rows(invoices, timezone.localdate())


def invoice_get_for_staff(*, user: Any, case: Case, invoice_id: Any) -> Invoice:
    if not case_policy.can(user, "view_workspace", case):
        raise NotFoundOrHidden("No such invoice.")
    try:
        return Invoice.objects.select_related("participant", "case", "credits").get(
            case=case, pk=int(invoice_id)
        )
    except (Invoice.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrHidden("No such invoice.") from None


def invoices_for_party(*, user: Any, case: Case) -> list[InvoiceRow]:
    """The user's own issued invoices and credit notes on the case; nobody else's."""
    from django.utils import timezone

    pk = getattr(user, "pk", None)
    if pk is None:
        return []
    mine = Participant.objects.filter(case=case, user_id=pk, portal_access=True)
    invoices = (
        Invoice.objects.filter(case=case, participant__in=mine, status=InvoiceStatus.ISSUED)
        .select_related("document_version")
        .prefetch_related("payments")
        .order_by("number")
    )
    return _rows(invoices, timezone.localdate())


@dataclass
class PartyBalance:
    participant: Participant
    invoiced: Decimal
    credited: Decimal
    paid: Decimal

    @property
    def owed(self) -> Decimal:
        return self.invoiced + self.credited - self.paid


def balances_for_staff(*, user: Any, case: Case) -> tuple[list[PartyBalance], Decimal]:
    """What each party has been invoiced, credited and has paid, and what the case is owed."""
    if not case_policy.can(user, "view_workspace", case):
        raise NotFoundOrHidden("No such case.")
    from accord.fees.charges import parties

    result = []
    issued = Invoice.objects.filter(case=case, status=InvoiceStatus.ISSUED)
    for party in parties(case):
        theirs = issued.filter(participant=party)
        invoiced = theirs.filter(kind="invoice").aggregate(s=Sum("total"))["s"] or Decimal("0")
        credited = theirs.filter(kind="credit_note").aggregate(s=Sum("total"))["s"] or Decimal("0")
        paid = Payment.objects.filter(invoice__in=theirs).aggregate(s=Sum("amount"))[
            "s"
        ] or Decimal("0")
        result.append(PartyBalance(party, invoiced, credited, paid))
    return result, sum((b.owed for b in result), Decimal("0"))


def sharing_for(case: Case) -> FeeSharing | None:
    return FeeSharing.objects.filter(case=case).select_related("payer").first()


def means_for_staff(*, user: Any, case: Case) -> list[MeansAssessment]:
    if not case_policy.can(user, "view_workspace", case):
        raise NotFoundOrHidden("No such case.")
    return list(MeansAssessment.objects.filter(case=case).select_related("participant"))
