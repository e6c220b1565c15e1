"""What happened on a case, priced from the fee schedule, for the calculator.

Reads MIAMs and sessions (held, or missed), and written outcomes issued; the schedule row in force
on each event's date for the case's kind; each party's funding; the case's sharing; and what is
left of the voucher. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from accord.cases import kinds
from accord.cases.models import PARTY_ROLES, Case, Participant
from accord.fees import calculator as calc
from accord.fees.models import (
    FeeItem,
    FeeRate,
    FeeSharing,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    MeansAssessment,
    SharingBasis,
    VatRate,
)


def rate_in_force(organisation_id: int, case_kind: str, item: str, day: dt.date) -> FeeRate | None:
    """The schedule row for this kind and item in force on a day, if any."""
    return (
        FeeRate.objects.filter(
            organisation_id=organisation_id,
            case_kind=case_kind,
            item=item,
            effective_from__lte=day,
        )
        .exclude(effective_to__lt=day)
        .order_by("-effective_from")
        .first()
    )


def vat_rate_on(day: dt.date) -> Decimal:
    row = VatRate.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    return row.rate if row else Decimal("0")


def _price(case: Case, item: str, day: dt.date, net: Decimal | None = None) -> calc.Price | None:
    rate = rate_in_force(case.organisation_id, case.kind, item, day)
    if rate is None:
        return None
    return calc.Price(
        net=rate.amount if net is None else net,
        vat_rate=vat_rate_on(day) if rate.vat_applies else Decimal("0"),
    )


def _session_price(case: Case, minutes: int, day: dt.date) -> calc.Price | None:
    hourly = rate_in_force(case.organisation_id, case.kind, FeeItem.SESSION_HOUR, day)
    flat = rate_in_force(case.organisation_id, case.kind, FeeItem.SESSION, day)
    chosen = hourly or flat
    if chosen is None:
        return None
    net = calc.session_price(
        minutes,
        per_hour=hourly.amount if hourly else None,
        per_session=flat.amount if flat else None,
    )
    assert net is not None
    return calc.Price(net=net, vat_rate=vat_rate_on(day) if chosen.vat_applies else Decimal("0"))


def _session_name(number: int | None) -> str:
    return f"Session {number}" if number else "Session"


def parties(case: Case) -> list[Participant]:
    return list(Participant.objects.filter(case=case, role__in=PARTY_ROLES).order_by("id"))


def events(case: Case) -> list[calc.Event]:
    """Every chargeable event of the case, priced, in date order (unpriced ones left out)."""
    from accord.mediation.models import MediationSession, SessionStatus
    from accord.meetings.models import Miam, MiamStatus
    from accord.outcomes.models import OutcomeDraft

    party_ids = {p.pk for p in parties(case)}
    found: list[tuple[dt.datetime, calc.Event]] = []
    if kinds.applies(case.kind, "miam"):
        for miam in Miam.objects.filter(
            case=case, status__in=[MiamStatus.HELD, MiamStatus.DID_NOT_ATTEND]
        ).prefetch_related("attendees"):
            day = timezone.localdate(miam.starts_at)
            held = miam.status == MiamStatus.HELD
            price = _price(case, FeeItem.MIAM if held else FeeItem.CANCELLATION, day)
            attendees = tuple(sorted(a.pk for a in miam.attendees.all() if a.pk in party_ids))
            if price is None or not attendees:
                continue
            label = f"MIAM on {day:%d %B %Y}" if held else f"Missed MIAM on {day:%d %B %Y}"
            found.append(
                (
                    miam.starts_at,
                    calc.Event(
                        f"miam:{miam.pk}",
                        calc.MIAM if held else calc.MISSED,
                        label,
                        attendees,
                        price,
                    ),
                )
            )
    for session in MediationSession.objects.filter(
        case=case, status__in=[SessionStatus.HELD, SessionStatus.DID_NOT_ATTEND]
    ).prefetch_related("attendees"):
        day = timezone.localdate(session.starts_at)
        if session.status == SessionStatus.HELD:
            minutes = session.duration_minutes
            if session.started_at and session.ended_at and session.ended_at > session.started_at:
                minutes = max(
                    1, round((session.ended_at - session.started_at).total_seconds() / 60)
                )
            price = _session_price(case, minutes, day)
            if price is None:
                continue
            found.append(
                (
                    session.starts_at,
                    calc.Event(
                        f"session:{session.pk}",
                        calc.SESSION,
                        f"{_session_name(session.number)} on {day:%d %B %Y} ({minutes} minutes)",
                        tuple(sorted(party_ids)),
                        price,
                        session_number=session.number,
                    ),
                )
            )
        else:
            price = _price(case, FeeItem.CANCELLATION, day)
            attendees = tuple(sorted(a.pk for a in session.attendees.all() if a.pk in party_ids))
            if price is None or not attendees:
                continue
            found.append(
                (
                    session.starts_at,
                    calc.Event(
                        f"session:{session.pk}",
                        calc.MISSED,
                        f"Session on {day:%d %B %Y} that did not go ahead",
                        attendees,
                        price,
                    ),
                )
            )
    for draft in OutcomeDraft.objects.filter(case=case, issued_at__isnull=False):
        assert draft.issued_at is not None
        day = timezone.localdate(draft.issued_at)
        price = _price(case, FeeItem.DOCUMENT, day)
        if price is None:
            continue
        found.append(
            (
                draft.issued_at,
                calc.Event(
                    f"outcome:{draft.pk}",
                    calc.DOCUMENT,
                    f"{draft.get_kind_display()} issued on {day:%d %B %Y}",
                    tuple(sorted(party_ids)),
                    price,
                ),
            )
        )
    found.sort(key=lambda pair: pair[0])
    return [event for _, event in found]


def sharing(case: Case) -> dict[int, Decimal]:
    ids = [p.pk for p in parties(case)]
    row = FeeSharing.objects.filter(case=case).first()
    if row is None:
        return calc.shares_for(SharingBasis.EQUAL, ids, {}, None)
    agreed = {int(k): Decimal(str(v)) for k, v in (row.percentages or {}).items()}
    return calc.shares_for(row.basis, ids, agreed, row.payer_id)


def funding(case: Case) -> dict[int, calc.Funding]:
    from accord.meetings.models import Funding, FundingKind, LegalAidOutcome

    result: dict[int, calc.Funding] = {}
    assessed = {m.participant_id: m.eligible for m in MeansAssessment.objects.filter(case=case)}
    for row in Funding.objects.filter(case=case):
        aided = (
            row.kind == FundingKind.LEGAL_AID and row.legal_aid_outcome == LegalAidOutcome.ELIGIBLE
        )
        result[row.participant_id] = calc.Funding(
            legally_aided=aided or assessed.get(row.participant_id, False),
            free_miam_and_first_session=row.miam_and_first_session_funded,
        )
    for pid, eligible in assessed.items():
        if pid not in result and eligible:
            result[pid] = calc.Funding(legally_aided=True)
    return result


def voucher_applies(case: Case) -> bool:
    return kinds.applies(case.kind, "voucher")


def voucher_amount(case: Case) -> Decimal:
    """The case's voucher (one per family), or 0 when it has none or cannot have one."""
    from accord.meetings.models import Funding, FundingKind

    if not voucher_applies(case):
        return Decimal("0")
    row = Funding.objects.filter(case=case, kind=FundingKind.VOUCHER).first()
    return row.voucher_amount if row and row.voucher_amount else Decimal("0")


def _live_invoices(case: Case) -> list[Invoice]:
    """Issued invoices of the case not wholly cancelled by credit notes."""
    result = []
    for invoice in Invoice.objects.filter(case=case, kind="invoice", status=InvoiceStatus.ISSUED):
        credited = invoice.credit_notes.filter(status=InvoiceStatus.ISSUED).aggregate(
            s=Sum("total")
        )["s"] or Decimal("0")
        if invoice.total + credited > 0 or invoice.total == 0:
            result.append(invoice)
    return result


def voucher_used(case: Case) -> Decimal:
    used = InvoiceLine.objects.filter(
        invoice__in=_live_invoices(case), kind=calc.VOUCHER
    ).aggregate(s=Sum("gross"))["s"]
    return -(used or Decimal("0"))


def invoiced_refs(case: Case) -> set[tuple[int, str]]:
    """(party, event ref) already on a live issued invoice."""
    return {
        (participant_id, ref)
        for participant_id, ref in InvoiceLine.objects.filter(
            invoice__in=_live_invoices(case)
        ).values_list("invoice__participant_id", "ref")
    }


def uninvoiced(case: Case) -> calc.Outcome:
    """What each party would be charged now for what is not yet on an issued invoice."""
    done_events = {ref for _, ref in invoiced_refs(case)}
    # An event on any live invoice is done for every party: one invoice run per event keeps the
    # voucher and the shares consistent.
    pending = [e for e in events(case) if e.ref not in done_events]
    return calc.charge(
        pending,
        shares=sharing(case),
        funding=funding(case),
        voucher_left=voucher_amount(case) - voucher_used(case),
    )


def work_held(case: Case, start: dt.datetime, end: dt.datetime) -> list[calc.Work]:
    """Held MIAMs and sessions, and written outcomes issued, in [start, end), unpriced (the
    legal aid claim does not depend on the service's own fees), in date order."""
    from accord.mediation.models import MediationSession, SessionStatus
    from accord.meetings.models import Miam, MiamStatus
    from accord.outcomes.models import OutcomeDraft

    party_ids = {p.pk for p in parties(case)}
    found: list[tuple[dt.datetime, calc.Work]] = []
    for miam in Miam.objects.filter(
        case=case, status=MiamStatus.HELD, starts_at__gte=start, starts_at__lt=end
    ).prefetch_related("attendees"):
        attendees = tuple(sorted(a.pk for a in miam.attendees.all() if a.pk in party_ids))
        day = timezone.localdate(miam.starts_at)
        found.append(
            (
                miam.starts_at,
                calc.Work(f"miam:{miam.pk}", calc.MIAM, "MIAM", attendees, day=day),
            )
        )
    for session in MediationSession.objects.filter(
        case=case, status=SessionStatus.HELD, starts_at__gte=start, starts_at__lt=end
    ):
        day = timezone.localdate(session.starts_at)
        found.append(
            (
                session.starts_at,
                calc.Work(
                    f"session:{session.pk}",
                    calc.SESSION,
                    _session_name(session.number),
                    tuple(sorted(party_ids)),
                    session_number=session.number,
                    day=day,
                ),
            )
        )
    # An outcome's first issue only: a correction replaces it and is not a second outcome.
    for draft in OutcomeDraft.objects.filter(
        case=case, issued_at__gte=start, issued_at__lt=end, previous__isnull=True
    ):
        assert draft.issued_at is not None
        found.append(
            (
                draft.issued_at,
                calc.Work(
                    f"outcome:{draft.pk}",
                    calc.DOCUMENT,
                    f"Outcome: {draft.get_kind_display()}",
                    tuple(sorted(party_ids)),
                    day=timezone.localdate(draft.issued_at),
                ),
            )
        )
    found.sort(key=lambda pair: pair[0])
    return [work for _, work in found]
