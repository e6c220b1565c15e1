"""The fees half of issue 14's journey: a family case with one legally aided party and a voucher
runs MIAMs and two sessions; the invoices leave off the aided work and apply the voucher; a
payment clears the invoice; each party sees only their own invoices in the portal.

The case's story is told through the services (`accord.testing.journey`); the fees work (raise,
issue, pay) is done in the browser as the coordinator, and each party's view checked signed in.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accord.browser_tests.helpers import open_section, sign_in
from accord.cases.models import Participant
from accord.fees import services as fees
from accord.mediation.models import MediationSession
from accord.meetings.services.funding import funding_record
from accord.testing import journey

pytestmark = pytest.mark.browser


def _story(svc: Any) -> Any:
    case, mediator = svc.case, svc.mediator
    alice = Participant.objects.get(case=case, full_name="Alice Smith")
    bob = Participant.objects.get(case=case, full_name="Bob Jones")
    for item, amount, vat in (("miam", "120.00", False), ("session_hour", "150.00", True)):
        fees.fee_rate_add(
            actor=svc.admin,
            organisation=svc.organisation,
            case_kind=case.kind,
            item=item,
            amount=amount,
            vat_applies=vat,
            effective_from=dt.date(2026, 1, 1),
        )
    journey.miams_held_and_screened(svc.coordinator, case, mediator, [alice, bob])
    fees.means_assessment_record(
        actor=svc.coordinator,
        participant=alice,
        evidence="passported",
        benefit="universal_credit",
        disposable_capital="500.00",
        assessed_on=timezone.localdate(),
        evidence_note="Universal Credit statement seen.",
    )
    funding_record(
        actor=svc.coordinator, participant=bob, kind="voucher", voucher_amount=Decimal("100.00")
    )
    journey.decide(mediator, case, "joint")
    agreement = journey.agreement_prepared(mediator, case)
    journey.sign_online(agreement.packet, alice)
    journey.sign_online(agreement.packet, bob)
    for days in (1, 2):
        session = journey.book_session(mediator, case, [alice, bob], format="joint", days=days)
        journey.start_session(mediator, session)
        journey.finish_session(mediator, session)
        ended = MediationSession.objects.get(pk=session.pk).ended_at
        assert ended is not None
        MediationSession.objects.filter(pk=session.pk).update(
            started_at=ended - dt.timedelta(hours=2)
        )
    return case


def test_invoices_leave_off_legal_aid_apply_the_voucher_and_a_payment_clears_one(
    browser: Any, live_server: Any, live_service: Any
) -> None:
    svc = live_service
    case = _story(svc)
    base = live_server.url

    staff = browser.new_context().new_page()
    sign_in(staff, base, svc.coordinator.email, with_code=True)
    staff.goto(f"{base}/cases/{case.pk}/")
    expect(staff.locator(".next-steps")).to_contain_text("Raise the invoice for Bob Jones")
    open_section(staff, "Fees")
    staff.get_by_role("link", name="Open the fees and invoices").click()
    pending = staff.locator("section", has=staff.get_by_role("heading", name="Not yet invoiced"))
    # Alice is legally aided: nothing of hers; Bob's MIAM and first session are free.
    expect(pending.get_by_role("heading", name="Alice Smith")).to_have_count(0)
    expect(pending.locator("details")).to_contain_text("Alice Smith: MIAM")
    expect(pending).to_contain_text("Family Mediation Voucher")
    staff.get_by_role("button", name="Raise draft invoices").click()
    expect(staff.locator(".messages")).to_contain_text("1 draft invoice ready to check")
    staff.get_by_role("link", name="Draft").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Invoice Draft")
    expect(staff.locator("main")).to_contain_text("£-100.00")
    staff.get_by_role("button", name="Issue the invoice").click()
    staff.get_by_role("link", name="INV-00001").click()
    expect(staff.locator("main")).to_contain_text("£80.00")
    staff.get_by_role("link", name="Record a payment").click()
    staff.get_by_label("Amount received").fill("80.001")
    staff.get_by_role("button", name="Record the payment").click()
    expect(staff.locator(".error-summary")).to_contain_text("two decimal places")
    staff.get_by_label("Amount received").fill("80.00")
    staff.get_by_label("Reference").fill("BACS JONES")
    staff.get_by_role("button", name="Record the payment").click()
    expect(staff.locator("main")).to_contain_text("Owed")
    expect(staff.locator("main")).to_contain_text("£0.00")

    bob = browser.new_context().new_page()
    sign_in(bob, base, svc.parties["bob"].email)
    bob.goto(f"{base}/portal/cases/{case.pk}/")
    invoices = bob.locator("#invoices")
    expect(invoices).to_contain_text("INV-00001")
    expect(invoices).to_contain_text("£0.00 to pay")

    alice = browser.new_context().new_page()
    sign_in(alice, base, svc.parties["alice"].email)
    alice.goto(f"{base}/portal/cases/{case.pk}/")
    expect(alice.locator("main")).not_to_contain_text("INV-00001")
    expect(alice.locator("#invoices")).to_have_count(0)
