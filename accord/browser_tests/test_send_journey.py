"""SEND mediation in the browser: a parent's enquiry through the decision, preparation with a
16-year-old's written permission, the meeting's order, an outcome with two LA actions and their
due dates, the certificate with the appeal deadline, and the family seeing both in the portal;
and the short path where the family declines mediation and the certificate follows."""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accord.browser_tests.helpers import DESKTOP, sign_in

pytestmark = pytest.mark.browser


def _give_login(participant: Any) -> Any:
    from accord.cases.models import Participant
    from accord.testing.factories import UserFactory

    user = UserFactory(email=participant.email, full_name=participant.full_name)
    Participant.objects.filter(pk=participant.pk).update(user=user, portal_access=True)
    participant.refresh_from_db()
    return participant


def _enquire(tab: Any, base: str, slug: str, decided: dt.date, born: dt.date) -> None:
    tab.goto(f"{base}/enquire/{slug}/send/")
    tab.get_by_label("Your full name").fill("Joanne Harrison")
    tab.get_by_label("Your email address").fill("joanne@send.example")
    tab.get_by_label("Email", exact=True).check()
    tab.get_by_label("I am the parent or carer of the child or young person").check()
    tab.get_by_label("The child or young person's full name").fill("Leo Harrison")
    tab.get_by_label("The child or young person's date of birth").fill(
        f"{born.day} {born.month} {born.year}"
    )
    tab.get_by_label("The local authority that made the decision").fill("Leeds City Council")
    tab.get_by_label("What the EHC plan says (needs, provision or school)").check()
    tab.get_by_label("The date of the decision letter").fill(
        f"{decided.day} {decided.month} {decided.year}"
    )
    tab.get_by_label("Not urgent").check()
    time.sleep(3.2)  # the form refuses anything sent faster than a person could type it
    tab.get_by_role("button", name="Send").click()
    expect(tab.get_by_role("heading", name="Thank you")).to_be_visible()


def _submit(page: Any, button: str, message: str) -> None:
    page.get_by_role("button", name=button).click()
    expect(page.locator("body")).to_contain_text(message)


def test_send_enquiry_to_certificate_with_the_family_seeing_actions_and_appeal_deadline(
    browser: Any, page: Any, live_server: Any, live_service: Any
) -> None:
    from accord.cases import services as case_services
    from accord.cases.models import Case
    from accord.mediation.services import session_book
    from accord.send.models import SendAction, SendCertificate
    from accord.testing import journey

    service = live_service
    base = live_server.url
    page.set_default_timeout(30_000)  # a long journey on a busy machine
    today = timezone.localdate()
    decided = today - dt.timedelta(days=10)
    born = today.replace(year=today.year - 16) - dt.timedelta(days=30)
    _enquire(page, base, service.organisation.slug, decided, born)

    case = Case.objects.get(kind="send")
    Case.objects.filter(pk=case.pk).update(lead_mediator=service.mediator)
    case.refresh_from_db()
    parent = _give_login(case.participants.get(role="parent_carer"))
    officer = case.participants.get(role="la_officer")
    # The team adds the officer's details, the SENCo and Leo himself.
    officer = case_services.participant_update(
        actor=service.coordinator,
        participant=officer,
        full_name="Mark Bennett",
        email="mark@la.example",
    )
    officer = _give_login(officer)
    school = case_services.participant_add(
        actor=service.coordinator, case=case, role="school_rep", full_name="Anne Fisher"
    )
    young = _give_login(
        case_services.participant_add(
            actor=service.coordinator,
            case=case,
            role="young_person",
            full_name="Leo Harrison",
            email="leo@send.example",
        )
    )

    sign_in(page, base, service.mediator.email, with_code=True)
    send = f"{base}/cases/{case.pk}/send/"
    # 1. The decision, filled in from the enquiry; the mediator adds the issues.
    page.goto(f"{send}decision/")
    expect(page.get_by_label("Child's or young person's name")).to_have_value("Leo Harrison")
    page.get_by_label("Education").check()
    _submit(page, "Save the SEND details", "The SEND details have been saved")
    expect(page.locator("body")).to_contain_text("The parent")
    page.get_by_role("link", name="Record the family's choice").click()
    page.get_by_label("Yes: arrange mediation").check()
    _submit(page, "Record the choice", "The family's choice has been recorded")

    # 2. Who attends: the LA must confirm authority.
    for who, role, authority in (
        (parent, "Parent", False),
        (school, "School or college", False),
        (officer, "Local authority", True),
    ):
        page.goto(f"{send}attendees/add/")
        page.get_by_label("Who").select_option(label=f"{who.full_name} ({who.get_role_display()})")
        page.get_by_label(role, exact=True).check()
        if authority:
            page.get_by_label(re.compile("authority to resolve")).check()
        _submit(page, "Add to the meeting", "added to the meeting")

    # 3. Preparation: a parent speaks for Leo (16), so his permission is needed.
    page.goto(f"{send}preparation/")
    page.get_by_label(re.compile("views be represented")).fill("Leo's one-page profile.")
    page.get_by_label(re.compile("parent will speak")).check()
    _submit(page, "Save", "The preparation has been saved")
    expect(page.locator("body")).to_contain_text("still needed before the meeting")
    page.get_by_role("link", name="Ask the young person to sign online").click()
    page.get_by_label("The young person").select_option(label="Leo Harrison (Young person)")
    _submit(page, "Send for signature", "asked to sign")
    from accord.agreements.models import SigningPacket

    journey.sign_online(SigningPacket.objects.get(case=case, purpose="send_permission"), young)

    # The meeting is booked 12 days ahead, everyone signs the Agreement to Mediate.
    session = session_book(
        actor=service.coordinator,
        case=case,
        format="joint",
        starts_at=journey.future(12, 10),
        mode="in_person",
        place="Civic Hall",
        attendees=[parent, officer, school],
        mediators=[service.mediator],
    )
    packet = journey.agreement_prepared(service.mediator, case).packet
    for person in packet.required.all():
        if person.user_id is None:
            _give_login(person)
        journey.sign_online(packet, person)

    # 4. The meeting's order and the Terms of Engagement.
    page.goto(send)
    sheet = page.locator("ol.run-sheet")
    expect(sheet).to_contain_text("Joanne Harrison")
    items = sheet.locator("li").all_inner_texts()
    assert items.index(next(i for i in items if "school or college" in i.lower())) < items.index(
        next(i for i in items if "local authority officer" in i.lower())
    )
    for _ in range(3):
        page.get_by_role("button", name=re.compile("^Accepted")).first.click()
        expect(page.locator("body")).to_contain_text("Terms of Engagement were accepted")
    journey.start_session(service.mediator, session)
    journey.finish_session(service.mediator, session)

    # 5. Two LA actions with their reg 44 due dates, then the outcome.
    for text, timescale in (
        ("Amend section F to add speech and language therapy.", "Amend the EHC plan (5 weeks)"),
        ("Arrange a visit to Oakfield High.", "Action the Tribunal could not order (2 weeks)"),
    ):
        page.goto(f"{send}actions/add/")
        page.get_by_label("What was agreed").fill(text)
        page.get_by_label("Local authority", exact=True).check()
        page.get_by_label("By when?").select_option(label=timescale)
        _submit(page, "Record the action", "The action has been recorded")
    assert SendAction.objects.filter(case=case, due_at__isnull=False).count() == 2
    page.get_by_role("link", name="Issue the Mediation Outcome").click()
    page.get_by_label("Agreement on some issues").check()
    page.get_by_label("Changes to the EHC plan's wording").fill("The LA officer words F.")
    _submit(page, "Issue and share", "The Mediation Outcome has been issued")

    # 6. The certificate with its appeal deadline.
    _submit(page, "Issue the mediation certificate", "certificate has been issued")
    certificate = SendCertificate.objects.get(case=case)
    day = certificate.appeal_deadline
    expect(page.locator("body")).to_contain_text(f"{day.day} {day:%B %Y}")

    # The family sees both actions with their due dates, and the appeal deadline.
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London")
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    sign_in(tab, base, "joanne@send.example")
    tab.goto(f"{base}/portal/cases/{case.pk}/")
    panel = tab.locator("section", has=tab.get_by_role("heading", name="Your SEND mediation"))
    expect(panel).to_contain_text("Appeal deadline")
    expect(panel).to_contain_text(f"{day:%B %Y}")
    for action in SendAction.objects.filter(case=case):
        assert action.due_at is not None
        due = timezone.localtime(action.due_at)
        expect(panel).to_contain_text(f"{due.day} {due:%B %Y}")
    expect(panel).to_contain_text("Amend section F")
    context.close()

    # The SEND pages reflow at 320 pixels and pass axe (in a tab that lets axe's script in).
    from accord.browser_tests.test_every_page import _check

    checking = browser.new_context(viewport=DESKTOP, locale="en-GB", bypass_csp=True)
    tab = checking.new_page()
    tab.set_default_timeout(30_000)
    time.sleep(30.5 - time.time() % 30)  # a fresh two-factor window: the last code was used
    sign_in(tab, base, service.mediator.email, with_code=True)
    problems: list[str] = []
    for url in (send, f"{send}actions/add/", f"{send}decision/"):
        tab.goto(url)
        _check(tab, url, problems)
    checking.close()
    assert not problems, "\n".join(problems)


def test_the_family_declines_and_the_certificate_follows_within_3_working_days(
    page: Any, live_server: Any, live_service: Any
) -> None:
    from accord.cases import services as case_services
    from accord.deadlines.models import Deadline

    service = live_service
    base = live_server.url
    page.set_default_timeout(30_000)
    case = case_services.case_open(
        actor=service.coordinator,
        organisation=service.organisation,
        kind="send",
        title="Patel / Leeds",
        lead_mediator=service.mediator,
    )
    case_services.participant_add(
        actor=service.coordinator,
        case=case,
        role="parent_carer",
        full_name="Ravi Patel",
        email="ravi@send.example",
    )
    sign_in(page, base, service.coordinator.email, with_code=True)
    send = f"{base}/cases/{case.pk}/send/"
    page.goto(f"{send}decision/")
    decided = timezone.localdate() - dt.timedelta(days=5)
    page.get_by_label("Refusal to carry out an EHC needs assessment").check()
    page.get_by_label("Date the decision notice was sent").fill(
        f"{decided.day} {decided.month} {decided.year}"
    )
    page.get_by_label("Local authority that commissions the mediation").fill("Leeds")
    page.get_by_label("Child's or young person's name").fill("Amira Patel")
    page.get_by_label("Their date of birth").fill("14 3 2017")
    page.get_by_label("Education").check()
    _submit(page, "Save the SEND details", "The SEND details have been saved")
    page.goto(f"{send}choice/")
    page.get_by_label("No: issue the adviser's certificate").check()
    _submit(page, "Record the choice", "The family's choice has been recorded")
    clock = Deadline.objects.get(case=case, rule_code="send.certificate_no_mediation")
    assert 3 <= (timezone.localdate(clock.due_at) - timezone.localdate()).days <= 9
    _submit(page, "Issue the mediation certificate", "certificate has been issued")
    expect(page.locator("body")).to_contain_text("Adviser's certificate: mediation not wanted")
    expect(page.locator("body")).to_contain_text("Appeal deadline")
    clock.refresh_from_db()
    assert clock.status == "met"
