"""Issue 14's journey, in the issue's order, as one story (item 9).

A family case with one legally aided party (Alice, passported: the coordinator records her
means assessment in the browser, worked out against the dated thresholds) and a voucher (Bob)
runs MIAMs and two sessions; the invoices leave off the aided work and apply the voucher; a
payment clears Bob's invoice; Bob complains from the portal and asks for his data; the admin
produces Bob's subject-access export, which holds his own words and not Alice's private room.

The case's history up to the sessions is told through the services (`accord.testing.journey`);
everything the issue names is then done in the browser by the person who would do it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accord.browser_tests.helpers import PHONE, open_section, screenshot, sign_in
from accord.cases.models import Participant
from accord.fees import services as fees
from accord.mediation.models import MediationSession
from accord.meetings.services.funding import funding_record
from accord.rooms.models import Room
from accord.rooms.services import message_post, rooms_ensure
from accord.testing import journey

pytestmark = pytest.mark.browser

BOB_OWN = "I can do the school run on Tuesdays and Thursdays."
ALICE_PRIVATE = "Only for the mediator: I may move to Leeds next spring."
BOB_COMPLAINT = "The mediator cut me short twice."


def _story_to_the_sessions(svc: Any) -> tuple[Any, Participant, Participant]:
    """The fee schedule; MIAMs held and screened; Bob's voucher; two joint sessions held, in
    which each party wrote in their private room."""
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
    funding_record(
        actor=svc.coordinator, participant=bob, kind="voucher", voucher_amount=Decimal("100.00")
    )
    journey.decide(mediator, case, "joint")
    agreement = journey.agreement_prepared(mediator, case)
    journey.sign_online(agreement.packet, alice)
    journey.sign_online(agreement.packet, bob)
    rooms_ensure(case=case)
    for days in (1, 2):
        session = journey.book_session(mediator, case, [alice, bob], format="joint", days=days)
        journey.start_session(mediator, session)
        if days == 1:
            message_post(
                actor=svc.parties["alice"],
                room=Room.objects.get(case=case, kind="private", party=alice),
                body=ALICE_PRIVATE,
            )
            message_post(
                actor=svc.parties["bob"],
                room=Room.objects.get(case=case, kind="private", party=bob),
                body=BOB_OWN,
            )
        journey.finish_session(mediator, session)
        ended = MediationSession.objects.get(pk=session.pk).ended_at
        assert ended is not None
        MediationSession.objects.filter(pk=session.pk).update(
            started_at=ended - dt.timedelta(hours=2)
        )
    return case, alice, bob


def test_fees_legal_aid_voucher_payment_complaint_and_subject_access(
    browser: Any, live_server: Any, live_service: Any
) -> None:
    svc = live_service
    base = live_server.url
    case, _alice, _bob = _story_to_the_sessions(svc)

    # The coordinator records Alice's legal aid: passported, tested on capital only.
    staff = browser.new_context().new_page()
    sign_in(staff, base, svc.coordinator.email, with_code=True)
    staff.goto(f"{base}/cases/{case.pk}/fees/")
    staff.get_by_role("link", name="Record a means assessment").click()
    expect(staff.locator("main")).to_contain_text("Thresholds in force today")
    expect(staff.locator("main")).to_contain_text("unconfirmed")
    staff.get_by_label("Alice Smith").check()
    staff.get_by_label("Passported on a qualifying benefit").check()
    staff.get_by_label("Qualifying benefit", exact=True).select_option(label="Universal Credit")
    staff.get_by_label("Date of the assessment").fill(timezone.localdate().strftime("%d/%m/%Y"))
    staff.get_by_label("Disposable capital", exact=True).fill("500.00")
    staff.get_by_label("Evidence seen").fill("Universal Credit statement seen.")
    staff.get_by_role("button", name="Record the assessment").click()
    expect(staff.locator("main")).to_contain_text("Alice Smith: eligible")
    expect(staff.locator("main")).to_contain_text("within the limit of £8,000.00")

    # The invoices leave off Alice's aided work and Bob's free MIAM and first session, and
    # apply his voucher to the second session.
    staff.goto(f"{base}/cases/{case.pk}/")
    expect(staff.locator(".next-steps")).to_contain_text("Raise the invoice for Bob Jones")
    open_section(staff, "Fees")
    staff.get_by_role("link", name="Open the fees and invoices").click()
    pending = staff.locator("section", has=staff.get_by_role("heading", name="Not yet invoiced"))
    expect(pending.get_by_role("heading", name="Alice Smith")).to_have_count(0)
    expect(pending.locator("details")).to_contain_text("Alice Smith: MIAM")
    expect(pending).to_contain_text("Family Mediation Voucher")
    staff.get_by_role("button", name="Raise draft invoices").click()
    expect(staff.locator(".messages")).to_contain_text("1 draft invoice ready to check")
    staff.get_by_role("link", name="Draft").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Invoice Draft")
    expect(staff.locator("main")).to_contain_text("£-100.00")
    staff.get_by_role("button", name="Issue the invoice").click()

    # A payment clears Bob's invoice (a bad amount first gets a clear message).
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
    staff.context.close()

    # Alice, legally aided, has no invoice; Bob sees his, paid.
    alice = browser.new_context().new_page()
    sign_in(alice, base, svc.parties["alice"].email)
    alice.goto(f"{base}/portal/cases/{case.pk}/")
    expect(alice.locator("main")).not_to_contain_text("INV-00001")
    expect(alice.locator("#invoices")).to_have_count(0)
    alice.context.close()

    bob = browser.new_context().new_page()
    sign_in(bob, base, svc.parties["bob"].email)
    bob.goto(f"{base}/portal/cases/{case.pk}/")
    invoices = bob.locator("#invoices")
    expect(invoices).to_contain_text("INV-00001")
    expect(invoices).to_contain_text("£0.00 to pay")

    # Bob, the other party, complains from the portal and asks for a copy of his data.
    bob.get_by_role("link", name="Make a complaint").click()
    bob.get_by_role("button", name="Send my complaint").click()
    expect(bob.get_by_text("Tell us what your complaint is about.").first).to_be_visible()
    bob.get_by_label("What is your complaint about?").fill(BOB_COMPLAINT)
    bob.get_by_label("My complaint is about my mediator").check()
    bob.get_by_role("button", name="Send my complaint").click()
    bob.wait_for_url(re.compile(r"/portal/complaints/$"))
    expect(bob.locator("main")).to_contain_text(BOB_COMPLAINT)
    bob.set_viewport_size(PHONE)
    assert bob.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(bob, "portal-complaints-phone")
    bob.goto(f"{base}/portal/cases/{case.pk}/my-data/")
    bob.get_by_role("button", name="Ask for a copy of my data").click()
    expect(bob.locator("main")).to_contain_text("due by")
    bob.context.close()

    # The mediator complained about does not see the complaint.
    mediator = browser.new_context().new_page()
    sign_in(mediator, base, svc.mediator.email, with_code=True)
    mediator.goto(f"{base}/complaints/")
    expect(mediator.locator("main")).not_to_contain_text("Bob Jones")
    mediator.context.close()

    # The admin sees the complaint, and produces Bob's export: his own words, his complaint and
    # his invoice; Alice's private room withheld and listed as withheld.
    admin = browser.new_context().new_page()
    sign_in(admin, base, svc.admin.email, with_code=True)
    admin.goto(f"{base}/records/")
    admin.get_by_role("link", name="Complaints").click()
    expect(admin.locator("main")).to_contain_text("Bob Jones")
    admin.goto(f"{base}/records/subject-access/")
    admin.get_by_role("link", name="Bob Jones").click()
    expect(admin.locator("main")).to_contain_text("private rooms")
    with admin.expect_download() as download_info:
        admin.get_by_role("button", name="Produce the export (ZIP)").click()
    with open(download_info.value.path(), "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    text = archive.read("data.json").decode()
    data = json.loads(text)
    assert BOB_OWN in text and BOB_COMPLAINT in text
    assert "INV-00001" in text and "BACS JONES" in text
    assert ALICE_PRIVATE not in text and "Universal Credit" not in text
    assert any("private room" in w["category"] for w in data["withheld"])
    assert archive.read("summary.pdf").startswith(b"%PDF")
