"""The service's exports: payments and invoices for bookkeeping, the monthly legal aid claim, and
the voucher claims with each voucher's FMC case reference. For administrators and coordinators
(`selectors.can_run_reports`); the views check that before calling these."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone

from accord.cases import kinds
from accord.cases.models import Case
from accord.fees import calculator, charges
from accord.fees.models import Invoice, InvoiceStatus, MeansAssessment, Payment
from accord.organisations.models import Organisation


def to_csv(header: list[str], rows: Iterable[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        # Cells that a spreadsheet would run as a formula are quoted as text.
        writer.writerow(
            [f"'{c}" if isinstance(c, str) and c[:1] in ("=", "+", "-", "@") else c for c in row]
        )
    return out.getvalue()


def _month(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime(year, month, 1))
    end = timezone.make_aware(dt.datetime(year + (month == 12), 1 if month == 12 else month + 1, 1))
    return start, end


def payments_csv(organisation: Organisation, start: dt.date, end: dt.date) -> str:
    rows = (
        Payment.objects.filter(organisation=organisation, paid_on__gte=start, paid_on__lte=end)
        .select_related("invoice", "invoice__case", "invoice__participant")
        .order_by("paid_on", "id")
    )
    return to_csv(
        ["paid_on", "invoice", "case", "party", "amount", "method", "reference", "provider"],
        (
            [
                p.paid_on.isoformat(),
                p.invoice.display_number(),
                p.invoice.case.reference,
                p.invoice.participant.full_name,
                f"{p.amount:.2f}",
                p.method,
                p.reference,
                p.provider,
            ]
            for p in rows
        ),
    )


def invoices_csv(organisation: Organisation, start: dt.date, end: dt.date) -> str:
    from accord.fees.services import balance_of

    rows = (
        Invoice.objects.filter(
            organisation=organisation,
            status=InvoiceStatus.ISSUED,
            issued_at__date__gte=start,
            issued_at__date__lte=end,
        )
        .select_related("case", "participant", "credits")
        .order_by("number")
    )
    return to_csv(
        [
            "number",
            "kind",
            "issued_on",
            "due_on",
            "case",
            "party",
            "net",
            "vat",
            "total",
            "credits",
            "balance",
        ],
        (
            [
                i.display_number(),
                i.kind,
                timezone.localdate(i.issued_at).isoformat() if i.issued_at else "",
                i.due_on.isoformat() if i.due_on else "",
                i.case.reference,
                i.participant.full_name,
                f"{i.net:.2f}",
                f"{i.vat:.2f}",
                f"{i.total:.2f}",
                i.credits.display_number() if i.credits else "",
                f"{balance_of(i):.2f}",
            ]
            for i in rows
        ),
    )


CLAIM_HEADER = ["case", "item", "date", "party", "basis", "evidence"]


def claims_rows(organisation: Organisation, year: int, month: int) -> list[list[object]]:
    """The month's legal aid claim: exactly the work the invoices leave off for legal aid
    (`calculator.claimable`): MIAMs of aided parties and the other party's free MIAM, sessions
    for aided parties and the other party's free first session, written outcomes issued for
    aided parties. One row per item and party, with the basis and the means evidence. Only
    cases where legal aid applies (family mediation) and a party is eligible are read."""
    from accord.meetings.models import Funding, FundingKind, LegalAidOutcome

    start, end = _month(year, month)
    aided_cases = set(
        Funding.objects.filter(
            organisation=organisation,
            kind=FundingKind.LEGAL_AID,
            legal_aid_outcome=LegalAidOutcome.ELIGIBLE,
        ).values_list("case_id", flat=True)
    ) | set(
        MeansAssessment.objects.filter(organisation=organisation, eligible=True).values_list(
            "case_id", flat=True
        )
    )
    evidence = {
        m.participant_id: m
        for m in MeansAssessment.objects.filter(organisation=organisation, case_id__in=aided_cases)
    }
    rows: list[list[object]] = []
    for case in Case.objects.filter(pk__in=aided_cases).order_by("reference"):
        if not kinds.applies(case.kind, "funding"):
            continue  # legal aid is for family mediation only
        funding = charges.funding(case)
        names = {p.pk: p.full_name for p in charges.parties(case)}
        for claim in calculator.claimable(charges.work_held(case, start, end), funding):
            for pid, why in claim.parties:
                m = evidence.get(pid)
                rows.append(
                    [
                        case.reference,
                        claim.work.label,
                        claim.work.day.isoformat() if claim.work.day else "",
                        names.get(pid, ""),
                        why,
                        f"{m.get_evidence_display()}: {m.evidence_note}"
                        if m and why == "legal aid"
                        else "",
                    ]
                )
    return rows


def claims_csv(organisation: Organisation, year: int, month: int) -> str:
    return to_csv(CLAIM_HEADER, claims_rows(organisation, year, month))


def voucher_rows(organisation: Organisation) -> list[list[object]]:
    """Every voucher of the service: case, FMC case reference, amount, claimed so far."""
    from accord.meetings.models import Funding, FundingKind

    rows: list[list[object]] = []
    for funding in (
        Funding.objects.filter(organisation=organisation, kind=FundingKind.VOUCHER)
        .select_related("case", "case__voucher_reference")
        .order_by("case__reference")
    ):
        case = funding.case
        ref = getattr(case, "voucher_reference", None)
        rows.append(
            [
                case.reference,
                ref.fmc_reference if ref else "",
                f"{funding.voucher_amount or Decimal('0'):.2f}",
                f"{charges.voucher_used(case):.2f}",
            ]
        )
    return rows


def voucher_csv(organisation: Organisation) -> str:
    return to_csv(
        ["case", "fmc_case_reference", "voucher_amount", "claimable_so_far"],
        voucher_rows(organisation),
    )
