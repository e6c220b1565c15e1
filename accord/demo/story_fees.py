"""Demo story for fees: Riverside's fee schedule, and Khan / Wright run through to invoices.

Sarah Khan is legally aided (passported on Universal Credit), so nothing of hers is invoiced and
Daniel Wright's MIAM and first session are free; Daniel's Family Mediation Voucher pays towards
his share of the second session; his invoice is issued, shared in his portal, and paid.

Called once from `demo_load()` after the story clock stops. Everything goes through the
services, as the administrator, coordinator and mediator would through the pages.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accord.cases.models import Case, Participant
from accord.organisations.models import Organisation

#: The Riverside demo service's slug (accord.demo.data.DEMO_SLUG, not imported to avoid a cycle).
_SLUG = "riverside-demo"
_FAMILY = ("family_children", "family_finance", "family_all")


@transaction.atomic
def load_fees_story() -> None:
    """Riverside's fees; Khan / Wright: two sessions, one aided parent, a voucher, a payment."""
    from accord.accounts.models import User
    from accord.fees import services as fees
    from accord.mediation.models import MediationSession
    from accord.meetings.services.funding import funding_record
    from accord.testing import journey

    org = Organisation.objects.filter(slug=_SLUG).first()
    if org is None:
        return
    admin = User.objects.get(email="admin@riverside.example")
    coordinator = User.objects.get(email="coordinator@riverside.example")
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

    case = Case.objects.get(organisation=org, title="Khan / Wright")
    mediator = case.lead_mediator
    sarah = Participant.objects.get(case=case, full_name="Sarah Khan")
    daniel = Participant.objects.get(case=case, full_name="Daniel Wright")
    fees.means_assessment_record(
        actor=coordinator,
        participant=sarah,
        evidence="passported",
        benefit="universal_credit",
        disposable_capital=Decimal("1200.00"),
        assessed_on=timezone.localdate() - dt.timedelta(days=40),
        evidence_note="Universal Credit statement for October seen and copied.",
    )
    funding_record(
        actor=coordinator, participant=daniel, kind="voucher", voucher_amount=Decimal("100.00")
    )
    fees.voucher_reference_set(actor=coordinator, case=case, fmc_reference="FMC-V-20931")

    # Two shuttle sessions of two hours each, held (their recorded length is what is charged).
    for days in (1, 2):
        session = journey.book_session(mediator, case, [sarah, daniel], days=days)
        journey.start_session(mediator, session)
        journey.finish_session(mediator, session)
        ended = MediationSession.objects.get(pk=session.pk).ended_at
        assert ended is not None
        # The demo's only shortcut, like journey._backdate: the session lasted two hours.
        MediationSession.objects.filter(pk=session.pk).update(
            started_at=ended - dt.timedelta(hours=2), starts_at=ended - dt.timedelta(hours=2)
        )

    drafts = fees.invoices_raise(actor=coordinator, case=case)
    for draft in drafts:
        invoice = fees.invoice_issue(actor=coordinator, invoice=draft)
        fees.payment_record(
            actor=coordinator,
            invoice=invoice,
            paid_on=timezone.localdate(),
            amount=invoice.total,
            method="bank_transfer",
            reference="WRIGHT D FMED",
        )
