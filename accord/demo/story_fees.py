"""Demo story for fees: Riverside's fee schedule, and Khan / Wright run through to invoices.

Sarah Khan is legally aided (passported on Universal Credit), so nothing of hers is invoiced and
Daniel Wright's MIAM and first session are free; Daniel's Family Mediation Voucher pays towards
his share of the second session; his invoice is issued, shared in his portal, and paid.

Each step is called from the Riverside loader (`accord.demo.data`) on its own story day: the
schedule when the service starts, the funding after the MIAMs, two sessions held three weeks and
a week ago, the invoice issued the day after the second and paid three days ago. Everything goes
through the services, as the administrator, coordinator and mediator would through the pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accord.cases.models import Case, Participant
from accord.organisations.models import Organisation

_FAMILY = ("family_children", "family_finance", "family_all")


def fee_schedule_add(org: Organisation, admin: Any) -> None:
    """Riverside's fee schedule, as the administrator enters it when the service starts."""
    from accord.fees import services as fees

    start = dt.date(timezone.localdate().year - 1, 4, 1)
    for kind in (*_FAMILY, "civil", "workplace", "community", "send"):
        for item, amount, vat in (
            ("miam", "120.00", False),
            ("session_hour", "150.00", True),
            ("document", "90.00", True),
            ("cancellation", "60.00", False),
        ):
            if item == "miam" and kind not in _FAMILY:
                continue
            fees.fee_rate_add(
                actor=admin,
                organisation=org,
                case_kind=kind,
                item=item,
                amount=amount,
                vat_applies=vat,
                effective_from=start,
            )


def khan_funding(case: Case, coordinator: Any, sarah: Participant, daniel: Participant) -> None:
    """After the MIAMs: Sarah's legal aid (passported), Daniel's voucher and its FMC reference."""
    from accord.fees import services as fees
    from accord.meetings.services.funding import funding_record

    fees.means_assessment_record(
        actor=coordinator,
        participant=sarah,
        evidence="passported",
        benefit="universal_credit",
        disposable_capital=Decimal("1200.00"),
        assessed_on=timezone.localdate(),
        evidence_note="Universal Credit statement for the last month seen and copied.",
    )
    funding_record(
        actor=coordinator, participant=daniel, kind="voucher", voucher_amount=Decimal("100.00")
    )
    fees.voucher_reference_set(actor=coordinator, case=case, fmc_reference="FMC-V-20931")


def session_book_for(mediator: Any, case: Case, parties: list[Participant], starts_at: Any) -> Any:
    """Book a shuttle session by video at a moment later in the story."""
    from accord.mediation.services import session_book

    return session_book(
        actor=mediator,
        case=case,
        format="shuttle",
        starts_at=starts_at,
        mode="video",
        place="https://video.riverside.example/khan-wright",
        attendees=parties,
        mediators=[mediator],
    )


def session_hold(mediator: Any, session: Any, later: Callable[[int], Any]) -> None:
    """Hold a booked session now; it lasts two hours (its recorded length is what is charged)."""
    from accord.testing import journey

    journey.start_session(mediator, session)
    later(120)
    journey.finish_session(mediator, session)


def khan_invoices_issued(case: Case, coordinator: Any) -> list[Any]:
    """Raise and issue the drafts for what has happened: only Daniel has anything to pay."""
    from accord.fees import services as fees

    return [
        fees.invoice_issue(actor=coordinator, invoice=draft)
        for draft in fees.invoices_raise(actor=coordinator, case=case)
    ]


def khan_invoices_paid(case: Case, coordinator: Any) -> None:
    """Daniel pays his invoice by bank transfer."""
    from accord.fees import services as fees
    from accord.fees.models import Invoice

    for invoice in Invoice.objects.filter(case=case, status="issued").order_by("pk"):
        fees.payment_record(
            actor=coordinator,
            invoice=invoice,
            paid_on=timezone.localdate(),
            amount=invoice.total,
            method="bank_transfer",
            reference="WRIGHT D FMED",
        )
