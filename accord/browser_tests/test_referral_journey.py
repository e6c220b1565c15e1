"""From referral to MIAM certificate: the issue 4 journey, through the browser, services and API.

A person enquires on the public form; the coordinator runs the conflict check, sets the team
and invites the other party; the other party answers online through the link in their email;
both MIAMs are booked and held; the applicant's screening suggests shuttle mediation; the
mediator records suitability and issues the applicant's MIAM certificate, whose PDF text is
checked. Throughout, the other party never reaches the applicant's screening answers.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from accord.browser_tests.helpers import (
    DESKTOP,
    enquire_as_family,
    open_section,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser

APPLICANT = "Priya Raman"
OTHER = "Daniel Okafor"
SCREENING_NOTE = "Described being shouted at and followed home after handovers"


def _context(browser: Any) -> Any:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    return context, tab


def _enquire(tab: Any, base: str, slug: str) -> None:
    enquire_as_family(
        tab,
        f"{base}/enquire/{slug}/",
        applicant=(APPLICANT, "priya.raman@parties.example"),
        other=(OTHER, "daniel.okafor@parties.example"),
        child=("Amara Okafor", "2017-09-02"),
        date_of_birth="1988-04-12",
    )


def _answer_link(case_pk: int) -> str:
    """The answer link from the invitation email in the outbox (as the other party receives it)."""
    from accord.deadlines.models import OutboundEmail

    email = OutboundEmail.objects.get(to_email="daniel.okafor@parties.example")
    assert "Priya" not in email.body and "priya" not in email.body  # nothing of the applicant
    match = re.search(r"/respond/([^/\s]+)/", email.body)
    assert match, email.body
    return f"/respond/{match.group(1)}/"


def _book_and_hold(service: Any, case: Any, party: Any) -> Any:
    """Book a video MIAM for one party, let its time pass, and record it as held."""
    from django.utils import timezone

    from accord.meetings import services as meetings
    from accord.meetings.models import CHECKLIST, Miam

    miam = meetings.miam_book(
        actor=service.coordinator,
        case=case,
        attendees=[party],
        mediator=service.mediator,
        starts_at=timezone.now() + dt.timedelta(days=2),
        mode="video",
        place="https://video.example/room-7",
    )
    # Two days pass: the meeting happens.
    Miam.objects.filter(pk=miam.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    miam.refresh_from_db()
    return meetings.miam_record_held(
        actor=service.mediator, miam=miam, covered=[name for name, _ in CHECKLIST]
    )


def test_from_a_public_enquiry_to_a_signed_miam_certificate(
    browser: Any, page: Any, live_server: Any, live_service: Any
) -> None:
    from django.utils import timezone

    from accord.accounts.services import api_token_create
    from accord.calendar import add_months
    from accord.cases import services as case_services
    from accord.cases.models import Participant
    from accord.deadlines.models import OutboundEmail
    from accord.documents.tests.pdftext import pdf_text
    from accord.intake.models import Enquiry
    from accord.meetings.models import MiamCertificate
    from accord.organisations.models import MediatorProfile

    service = live_service
    base = live_server.url
    organisation = service.organisation

    # 1. The applicant enquires on the public form, signed in as no one.
    public, tab = _context(browser)
    _enquire(tab, base, organisation.slug)
    public.close()
    enquiry = Enquiry.objects.select_related("case").get(case__participants__full_name=APPLICANT)
    case = enquiry.case
    applicant = Participant.objects.get(case=case, full_name=APPLICANT)
    other = Participant.objects.get(case=case, full_name=OTHER)

    # 2. The coordinator runs the conflict check on the case and records the decision.
    sign_in(page, base, service.coordinator.email, with_code=True)
    page.wait_for_url(re.compile(r"/cases/dashboard/$"))
    page.goto(f"{base}/cases/{case.pk}/")
    open_section(page, "People")
    conflict = page.locator("#conflict-check")
    expect(conflict).to_contain_text("No one on this enquiry appears in another case")
    conflict.get_by_label("No conflict").check()
    conflict.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#conflict-check")).to_contain_text("Decision")
    enquiry.refresh_from_db()
    assert enquiry.conflict_decision == "no_conflict"
    case_services.case_assign_team(
        actor=service.coordinator,
        case=case,
        lead_mediator=service.mediator,
        co_mediator=None,
        supervisor=service.supervisor,
    )

    # 3. ...and invites the other party by email.
    page.goto(f"{base}/cases/{case.pk}/")
    open_section(page, "People")
    page.get_by_role("link", name="Invite by email").click()
    page.get_by_label("Who are you inviting?").select_option(label=OTHER)
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/"))
    link = _answer_link(case.pk)

    # 4. The other party answers online through the link; the page shows nothing of the applicant.
    answering, answer_tab = _context(browser)
    answer_tab.goto(f"{base}{link}")
    expect(answer_tab.get_by_role("heading", name="Would you consider mediation?")).to_be_visible()
    assert APPLICANT not in answer_tab.content()
    answer_tab.get_by_label("I am willing to attend a MIAM").check()
    answer_tab.get_by_role("button", name="Send my answer").click()
    expect(answer_tab.get_by_role("heading", name="Thank you")).to_be_visible()
    answering.close()

    # The coordinator's API client sees the answer.
    _, token = api_token_create(user=service.coordinator, name="journey")
    bearer = {"Authorization": f"Bearer {token}"}
    state = page.request.get(f"{base}/api/v1/cases/{case.pk}/willingness", headers=bearer)
    assert state.status == 200, state.text()
    assert "willing" in state.text()

    # 5. Both MIAMs are booked and held, one for each party.
    applicant_miam = _book_and_hold(service, case, applicant)
    _book_and_hold(service, case, other)

    # 6. The mediator screens the applicant in private: the answers suggest shuttle mediation.
    page.context.clear_cookies()
    sign_in(page, base, service.mediator.email, with_code=True)
    page.wait_for_url(re.compile(r"/cases/dashboard/$"))
    page.goto(f"{base}/cases/{case.pk}/miams/{applicant_miam.pk}/screening/{applicant.pk}/")
    page.get_by_role("group", name="Emotional abuse").get_by_label("Yes").check()
    page.get_by_label("Notes on emotional abuse").fill(SCREENING_NOTE)
    page.get_by_role("group", name="Fear of the other party").get_by_label("Yes").check()
    page.get_by_role("button", name="Save the screening").click()
    page.goto(f"{base}/cases/{case.pk}/miams/{applicant_miam.pk}/screening/{applicant.pk}/")
    expect(page.get_by_role("heading", name="Suggested route: Shuttle mediation")).to_be_visible()

    # 7. The mediator records the suitability decision.
    page.goto(f"{base}/cases/{case.pk}/miams/suitability/")
    page.get_by_label("Shuttle mediation").check()
    page.get_by_label("Reasons").fill("Fear of the other party: separate rooms throughout.")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/"))

    # 8. The accredited mediator issues and signs the applicant's certificate for a C100.
    page.goto(f"{base}/cases/{case.pk}/")
    open_section(page, "Preparation")
    page.get_by_role("link", name=f"Issue a MIAM certificate for {APPLICANT}").click()
    page.get_by_label("MIAM attended: mediation is to go ahead").check()
    page.get_by_label("C100 (child arrangements)").check()
    page.get_by_label("Type your full name to sign").fill(service.mediator.full_name)
    page.get_by_label(re.compile("I confirm that the party attended this MIAM")).check()
    page.get_by_role("button", name="Sign and issue the certificate").click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/"))
    certificate = MiamCertificate.objects.get(case=case, party=applicant)
    with page.expect_download() as download_info:
        page.get_by_role(
            "link", name=re.compile(f"Download the certificate for {APPLICANT}")
        ).click()
    pdf = open(download_info.value.path(), "rb").read()  # noqa: SIM115
    text = " ".join(pdf_text(pdf).split())
    held_on = timezone.localtime(applicant_miam.starts_at).date()
    urn = MediatorProfile.objects.get(user=service.mediator).fmc_urn
    assert urn and urn in text
    assert service.mediator.full_name in text
    assert APPLICANT in text
    assert organisation.name in text
    assert "mediation is to go ahead" in text
    # Valid for an application within 4 months of the MIAM (FPR 3.8(1)(d)), clamped to month end.
    assert certificate.valid_until == add_months(held_on, 4)
    assert f"{certificate.valid_until.day} {certificate.valid_until:%B %Y}" in text
    assert f"{held_on.day} {held_on:%B %Y}" in text
    screenshot(page, "referral-journey-case")

    # 9. The other party gets a portal login; they never reach the applicant's screening.
    case_services.participant_invite_to_portal(
        actor=service.coordinator, participant=other, base_url=base
    )
    invitation = OutboundEmail.objects.filter(to_email=other.email).latest("pk")
    invite_link = re.search(r"/invite/[^\s]+/", invitation.body)
    assert invite_link
    other_context, other_tab = _context(browser)
    other_tab.goto(f"{base}{invite_link.group(0)}")
    other_tab.get_by_label("Create a password").fill("a-long-and-private-passphrase")
    other_tab.get_by_label("Type your password again").fill("a-long-and-private-passphrase")
    other_tab.get_by_role("button", name="Save password and continue").click()
    other_tab.wait_for_url(re.compile(r"/portal/"))
    other_tab.goto(f"{base}/portal/cases/{case.pk}/")
    assert SCREENING_NOTE not in other_tab.content()
    for url in (
        f"/cases/{case.pk}/miams/{applicant_miam.pk}/screening/{applicant.pk}/",
        f"/cases/{case.pk}/miams/suitability/",
    ):
        response = other_tab.goto(f"{base}{url}")
        assert response is not None and response.status == 404, url
        assert SCREENING_NOTE not in other_tab.content()
    for url in (
        f"/api/v1/cases/{case.pk}/miams/{applicant_miam.pk}/screenings",
        f"/api/v1/cases/{case.pk}/suitability",
        f"/api/v1/cases/{case.pk}/miams",
        f"/api/v1/cases/{case.pk}",
        f"/api/v1/cases/{case.pk}/willingness",
    ):
        api = other_tab.request.get(f"{base}{url}")
        assert SCREENING_NOTE not in api.text(), url
        assert "emotional" not in api.text().lower(), url
        if "screenings" in url or "suitability" in url:
            assert api.status == 404, (url, api.status)
    other_context.close()
