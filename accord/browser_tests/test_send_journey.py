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
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accord.browser_tests.helpers import DESKTOP, PHONE, screenshot, sign_in

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
    # Generous: issuing a document renders a PDF, which is slow on a busy machine.
    page.get_by_role("button", name=button).click(timeout=120_000)
    expect(page.locator("body")).to_contain_text(message)


def _sign_in_portal(
    browser: Any, base: str, person: Any, title: str, *, shots: str = "", viewport: Any = DESKTOP
) -> None:
    """`person` signs in to their portal, opens the document waiting for them and signs it
    (with screenshots named `shots`, when given)."""
    context = browser.new_context(viewport=viewport, locale="en-GB", timezone_id="Europe/London")
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    tab.set_default_navigation_timeout(60_000)
    sign_in(tab, base, person.email)
    tab.wait_for_url(re.compile(r"/portal/"))
    tab.goto(f"{base}/portal/cases/{person.case_id}/")
    if shots:
        screenshot(tab, f"{shots}-portal")
    tab.get_by_role("link", name=re.compile(f"^{title} - please read and sign")).click()
    if shots:
        screenshot(tab, f"{shots}-sign")
    tab.get_by_label("I have read this document and I agree to it").check()
    tab.get_by_label("Type your full name to sign").fill(person.full_name)
    tab.get_by_role("button", name="Sign", exact=True).click()
    expect(tab.get_by_role("heading", name="You have signed")).to_be_visible()
    if shots:
        screenshot(tab, f"{shots}-signed")
    context.close()


def _book(page: Any, when: dt.datetime, people: list[Any]) -> None:
    """Fill in the booking page for a joint, in-person meeting at the Civic Hall, and send it;
    warnings (a weekend, a bank holiday) are read and confirmed as the coordinator would."""
    expect(page.get_by_role("heading", name="Book a mediation session")).to_be_visible()
    page.get_by_label("Joint session").check()
    page.get_by_label("Date and time").fill(timezone.localtime(when).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Length in minutes").fill("120")
    page.get_by_label("In person").check()
    page.get_by_label("Place, video link or number to call").fill("Civic Hall, Leeds")
    group = page.get_by_role("group", name="Who attends?")
    for person in people:
        group.get_by_label(re.compile(re.escape(person.full_name))).check()
    page.get_by_role("group", name="Mediators").get_by_role("checkbox").first.check()
    page.get_by_role("button", name="Book the session").click()
    errors = page.locator(".error-summary")
    if errors.count() and "Book anyway" in errors.inner_text():
        page.get_by_label("Book anyway: I have read the warnings").check()
        page.get_by_role("button", name="Book the session").click()


def test_send_enquiry_to_certificate_with_the_family_seeing_actions_and_appeal_deadline(
    browser: Any, page: Any, live_server: Any, live_service: Any
) -> None:
    from accord.cases import services as case_services
    from accord.cases.models import Case
    from accord.send.models import SendAction, SendCertificate
    from accord.testing import journey

    service = live_service
    base = live_server.url
    page.set_default_timeout(30_000)  # a long journey on a busy machine
    page.set_default_navigation_timeout(60_000)
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

    # Leo signs his permission in his own portal; then the mediator prepares the Agreement to
    # Mediate from the SEND page and the parent, Leo and the LA officer sign it in theirs.
    _sign_in_portal(
        browser,
        base,
        young,
        "Permission for my parent to speak for me",
        shots="send-young-person-phone",
        viewport=PHONE,
    )
    page.goto(send)
    expect(page.locator("body")).not_to_contain_text("still needed before the meeting")
    page.get_by_role("link", name="Prepare the Agreement to Mediate").click()
    page.get_by_role("button", name="Prepare the agreement").click()
    page.goto(send)
    expect(page.locator("body")).to_contain_text("Still to sign in their portal")
    for person in (parent, young, officer):
        _sign_in_portal(browser, base, person, "Agreement to Mediate")
    page.goto(send)
    expect(page.locator("body")).to_contain_text("Everyone has signed")

    # Booking: three working days ahead is refused without the family's consent to less
    # notice; once Joanne's consent is recorded, the meeting is booked for later today.
    page.get_by_role("link", name="Book the meeting").click()
    _book(page, journey.future(3, 10), [parent, officer, school])
    expect(page.locator(".error-summary")).to_contain_text("at least 5 working days")
    assert not case.mediation_sessions.exists()
    page.goto(f"{send}short-notice/")
    page.get_by_label("How and when the family agreed").fill(
        "Joanne Harrison agreed on the phone today to meet this afternoon."
    )
    _submit(page, "Record the consent", "consent to less notice has been recorded")
    page.get_by_role("link", name="Book the meeting").click()
    soon = timezone.localtime() + dt.timedelta(minutes=20)
    _book(page, soon, [parent, officer, school])
    expect(page.get_by_role("heading", name=re.compile("Session"))).to_be_visible()
    session = case.mediation_sessions.get()

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

    # The mediator opens the meeting from the SEND page, starts it, records who came, ends it.
    page.get_by_role("link", name=re.compile("^Open the meeting")).click()
    page.get_by_role("link", name="Start the session").click()
    page.get_by_label("I restated the ground rules").check()
    page.get_by_label("I asked whether anyone had questions").check()
    for rule in (
        page.get_by_role("group", name=re.compile("Ground rules covered"))
        .get_by_role("checkbox")
        .all()
    ):
        rule.check()
    for who in (parent, officer):
        page.get_by_label(f"Opening account of {who.full_name}").fill(f"{who.full_name}'s view.")
    page.get_by_role("button", name="Start the session").click()
    expect(page.locator("body")).to_contain_text("In progress")
    page.get_by_role("link", name="Record attendance").click()
    for who in (parent, officer, school):
        page.get_by_role("group", name=who.full_name).get_by_label("Attended", exact=True).check()
    page.get_by_role("button", name="Save attendance").click()
    page.get_by_role("link", name="End the session").click()
    page.get_by_role("button", name="Record as held").click()
    expect(page.locator("body")).to_contain_text("Held")
    session.refresh_from_db()
    assert session.status == "held" and session.ended_at is not None
    from accord.deadlines.models import Deadline

    outcome_clock = Deadline.objects.get(case=case, rule_code="send.outcome_service_standard")
    assert outcome_clock.due_at == session.ended_at + dt.timedelta(hours=24)

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
    screenshot(tab, "send-parent-portal-desktop")
    tab.set_viewport_size(PHONE)
    screenshot(tab, "send-parent-portal-phone")
    context.close()
    # Leo sees the same, on a phone and on a desktop.
    context = browser.new_context(viewport=PHONE, locale="en-GB", timezone_id="Europe/London")
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    sign_in(tab, base, "leo@send.example")
    tab.goto(f"{base}/portal/cases/{case.pk}/")
    panel = tab.locator("section", has=tab.get_by_role("heading", name="Your SEND mediation"))
    expect(panel).to_contain_text("Appeal deadline")
    expect(panel).to_contain_text("Arrange a visit to Oakfield High")
    screenshot(tab, "send-young-person-portal-phone")
    tab.set_viewport_size(DESKTOP)
    screenshot(tab, "send-young-person-portal-desktop")
    context.close()


def test_the_family_declines_and_the_certificate_follows_within_3_working_days(
    browser: Any, page: Any, live_server: Any, live_service: Any
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
    ravi = _give_login(
        case_services.participant_add(
            actor=service.coordinator,
            case=case,
            role="parent_carer",
            full_name="Ravi Patel",
            email="ravi@send.example",
        )
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
    # 3 working days from today in the service's calendar (weekends and bank holidays skipped).
    from accord.deadlines.selectors import calendar_for

    calendar = calendar_for(service.organisation)
    third = calendar.add_working_days(timezone.localdate(), 3)
    assert timezone.localdate(clock.due_at) == third
    _submit(page, "Issue the mediation certificate", "certificate has been issued")
    expect(page.locator("body")).to_contain_text("Adviser's certificate: mediation not wanted")
    expect(page.locator("body")).to_contain_text("Appeal deadline")
    clock.refresh_from_db()
    assert clock.status == "met" and clock.resolved_at is not None
    assert clock.resolved_at <= clock.due_at
    # The appeal deadline is the later of 2 months from the decision and 1 month from the
    # certificate: here 2 months from the decision, which was only 5 days ago.
    from accord.calendar import add_months
    from accord.send.models import SendCertificate

    day = SendCertificate.objects.get(case=case).appeal_deadline
    assert day == max(add_months(decided, 2), add_months(timezone.localdate(), 1))
    assert day == add_months(decided, 2)
    # Ravi sees the appeal deadline in his portal, and what to do by then.
    context = browser.new_context(viewport=PHONE, locale="en-GB", timezone_id="Europe/London")
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    sign_in(tab, base, ravi.email)
    tab.goto(f"{base}/portal/cases/{case.pk}/")
    panel = tab.locator("section", has=tab.get_by_role("heading", name="Your SEND mediation"))
    expect(panel).to_contain_text("Appeal deadline")
    expect(panel).to_contain_text(f"{day.day} {day:%B %Y}")
    expect(tab.locator("body")).to_contain_text(
        f"If you want to appeal to the SEND Tribunal, do so by {day.day} {day:%B %Y}"
    )
    screenshot(tab, "send-declined-parent-portal-phone")
    context.close()


def test_each_send_page_reflows_and_passes_axe(
    browser: Any, live_server: Any, live_service: Any
) -> None:
    """Every SEND staff page for the mediator, the commissioner report, and the family's and
    the young person's portal pages, at 320 and 1280 pixels (in tabs that let axe's script in)."""
    from accord.browser_tests.test_every_page import _check
    from accord.send import services
    from accord.send.tests.helpers import prepared
    from accord.send.tests.test_policy import STAFF_PAGES

    service = live_service
    base = live_server.url
    story = prepared(service)
    case = story.case
    services.send_action_add(
        actor=service.mediator,
        case=case,
        description="Amend section F to add speech and language therapy.",
        owner="la",
        timescale="send.la_action_amend_plan",
    )
    packet = services.send_permission_request(
        actor=service.mediator, case=case, young_person=story.young
    )
    problems: list[str] = []
    staff = browser.new_context(viewport=DESKTOP, locale="en-GB", bypass_csp=True)
    tab = staff.new_page()
    tab.set_default_timeout(30_000)
    tab.set_default_navigation_timeout(60_000)
    sign_in(tab, base, service.mediator.email, with_code=True)
    urls = [f"{base}{reverse(name, kwargs={'case_pk': case.pk})}" for name in STAFF_PAGES]
    urls += [f"{base}{reverse('send:call', kwargs={'case_pk': case.pk})}"]
    for url in urls:
        answer = tab.goto(url)
        assert answer is not None and answer.status == 200, url
        _check(tab, url, problems)
    staff.close()
    coordinator = browser.new_context(viewport=DESKTOP, locale="en-GB", bypass_csp=True)
    tab = coordinator.new_page()
    tab.set_default_timeout(30_000)
    tab.set_default_navigation_timeout(60_000)
    time.sleep(30.5 - time.time() % 30)  # a fresh two-factor window: the last code was used
    sign_in(tab, base, service.coordinator.email, with_code=True)
    url = f"{base}{reverse('send:report')}"
    tab.goto(url)
    _check(tab, url, problems)
    coordinator.close()
    for user, pages in (
        (story.parent_user, [f"/portal/cases/{case.pk}/"]),
        (
            story.young_user,
            [f"/portal/cases/{case.pk}/", f"/portal/cases/{case.pk}/sign/{packet.pk}/"],
        ),
        (story.officer_user, [f"/portal/cases/{case.pk}/"]),
    ):
        context = browser.new_context(viewport=PHONE, locale="en-GB", bypass_csp=True)
        tab = context.new_page()
        tab.set_default_timeout(30_000)
        tab.set_default_navigation_timeout(60_000)
        sign_in(tab, base, user.email)
        tab.wait_for_url(re.compile(r"/portal/"))
        for path in pages:
            tab.goto(f"{base}{path}")
            _check(tab, path, problems)
        context.close()
    assert not problems, "\n".join(problems)
