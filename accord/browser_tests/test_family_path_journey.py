"""A family case from the public enquiry to an issued MoU: at each step the stage and "what is
next" shown to staff and the "Action needed" shown to each party match what happened.

The enquiry is made on the public form and the MoU issued through its confirmation page in the
browser; the case team's other work is done through the services (`accord.testing.journey`, the
same steps as the demo, each page of which other journeys walk); what each person is shown is
checked in the browser, signed in as them.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from accord.browser_tests.helpers import enquire_as_family, open_section, sign_in
from accord.cases import services as case_services
from accord.cases.models import Participant
from accord.intake.models import Enquiry
from accord.testing import journey
from accord.testing.factories import UserFactory

pytestmark = pytest.mark.browser


class _Person:
    """One signed-in person in their own browser context."""

    def __init__(self, browser: Any, base_url: str, email: str, *, staff: bool) -> None:
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.base_url = base_url
        sign_in(self.page, base_url, email, with_code=staff)

    def text(self, path: str) -> str:
        self.page.goto(f"{self.base_url}{path}")
        return self.page.locator("main").inner_text()


def _actions(person: _Person, case_pk: int) -> str:
    person.page.goto(f"{person.base_url}/portal/cases/{case_pk}/")
    return person.page.locator(".action-panel").inner_text()


def _workspace(person: _Person, case_pk: int) -> str:
    """The workspace summary: stage, what is next, key dates and alerts."""
    return person.text(f"/cases/{case_pk}/")


def _next(person: _Person, case_pk: int) -> str:
    """The case team's "what is next" list on the summary."""
    person.page.goto(f"{person.base_url}/cases/{case_pk}/")
    return person.page.locator(".next-steps").inner_text()


def _enquire(browser: Any, base: str, slug: str) -> None:
    """Alice Smith asks about mediation on the service's public family form."""
    context = browser.new_context()
    enquire_as_family(
        context.new_page(),
        f"{base}/enquire/{slug}/family/",
        applicant=("Alice Smith", "alice.smith@parties.example"),
        other=("Bob Jones", "bob.jones@parties.example"),
        child=("Mia Jones", "2018-05-01"),
    )
    context.close()


def _portal_login(actor: Any, participant: Participant) -> Participant:
    """Give a party a portal login, as accepting their portal invitation would."""
    UserFactory(email=participant.email, full_name=participant.full_name)
    return case_services.participant_invite_to_portal(
        actor=actor, participant=participant, base_url="http://testserver"
    )


def test_a_family_case_from_the_public_enquiry_to_an_issued_mou(browser, live_server, live_service):
    svc = live_service
    _enquire(browser, live_server.url, svc.organisation.slug)
    case = Enquiry.objects.select_related("case").get(case__title__contains="Smith").case
    assert case.kind == "family_children" and case.stage == "enquiry"
    mediator = _Person(browser, live_server.url, svc.mediator.email, staff=True)
    coordinator = _Person(browser, live_server.url, svc.coordinator.email, staff=True)
    # Nothing else of the path is asked for before the conflict check.
    assert _next(coordinator, case.pk) == "Run the conflict check and record the decision."

    # The coordinator records the conflict check on the page and sets the team.
    coordinator.page.goto(f"{live_server.url}/cases/{case.pk}/")
    open_section(coordinator.page, "People")
    conflict = coordinator.page.locator("#conflict-check")
    conflict.get_by_label("No conflict").check()
    conflict.get_by_role("button", name="Record the decision").click()
    expect(coordinator.page.locator("#conflict-check")).to_contain_text("Decision")
    assert "conflict check" not in _next(coordinator, case.pk)
    case_services.case_assign_team(
        actor=svc.coordinator,
        case=case,
        lead_mediator=svc.mediator,
        co_mediator=None,
        supervisor=svc.supervisor,
    )
    alice = _portal_login(
        svc.coordinator, Participant.objects.get(case=case, full_name="Alice Smith")
    )
    bob = Participant.objects.get(case=case, full_name="Bob Jones")
    alice_p = _Person(browser, live_server.url, alice.email, staff=False)

    assert "Enquiry" in _workspace(mediator, case.pk)
    assert "Invite the other party" in _next(mediator, case.pk)

    invitation = journey.invite(svc.coordinator, case, bob)
    assert "Inviting the other party" in _workspace(mediator, case.pk)
    assert "Wait for Bob Jones's answer to the invitation" in _next(mediator, case.pk)
    assert "Answer the invitation" not in _actions(alice_p, case.pk)

    journey.answer_willing(invitation)
    bob = _portal_login(svc.coordinator, bob)
    bob_p = _Person(browser, live_server.url, bob.email, staff=False)
    assert "The other person has answered the invitation" in alice_p.text(
        f"/portal/cases/{case.pk}/"
    )
    steps = _next(mediator, case.pk)
    assert "invitation" not in steps and "Book a MIAM for Alice Smith" in steps

    miams = [
        journey.book_miam(svc.coordinator, case, person, svc.mediator, days=2 + i)
        for i, person in enumerate((alice, bob))
    ]
    assert "Your MIAM is on" in _actions(alice_p, case.pk)
    assert "Book a MIAM" not in _next(mediator, case.pk)
    for miam, person in zip(miams, (alice, bob), strict=True):
        journey.hold_miam(svc.mediator, miam)
        journey.screen(svc.mediator, miam, person)
    assert "Suitability decision" in _workspace(mediator, case.pk)
    assert "Your MIAM is on" not in _actions(alice_p, case.pk)

    journey.decide(svc.mediator, case, "shuttle")
    agreement = journey.agreement_prepared(svc.mediator, case)
    assert "Agreement to Mediate" in _workspace(mediator, case.pk)
    assert "to sign the Agreement to Mediate" in _next(mediator, case.pk)
    for person, page in ((alice, alice_p), (bob, bob_p)):
        assert "Sign the Agreement to Mediate" in _actions(page, case.pk)
        journey.sign_online(agreement.packet, person)
        assert "Sign the Agreement to Mediate" not in _actions(page, case.pk)
    assert "Mediation sessions" in _workspace(mediator, case.pk)
    assert "to sign the Agreement to Mediate" not in _next(mediator, case.pk)

    session = journey.book_session(svc.mediator, case, [alice, bob])
    assert "Your next mediation session is on" in _actions(bob_p, case.pk)
    assert "Next session: shuttle session on" in _next(mediator, case.pk)
    journey.start_session(svc.mediator, session)
    journey.finish_session(svc.mediator, session)
    journey.agree_item(svc.mediator, case, "Weekends", "Alternate weekends, Friday to Sunday.")

    # The mediator drafts the MoU and issues it through its confirmation page.
    from accord.outcomes.services import outcome_draft_create

    draft = outcome_draft_create(actor=svc.mediator, case=case, kind="mou")
    assert "Finish the draft" in _next(mediator, case.pk)
    mediator.page.goto(f"{live_server.url}/cases/{case.pk}/outcomes/{draft.pk}/")
    mediator.page.get_by_role("button", name="Issue", exact=True).click()
    expect(mediator.page.locator("#issue-summary")).to_contain_text("What will be issued")
    mediator.page.get_by_role("button", name=re.compile(r"^Issue the ")).click()
    expect(mediator.page.locator("main")).to_contain_text("Issued")
    draft.refresh_from_db()
    assert "Written outcome" in _workspace(mediator, case.pk)
    assert "Share the issued" in _next(mediator, case.pk)
    journey.share_outcome(svc.mediator, draft, [alice, bob])
    for page in (alice_p, bob_p):
        assert "Read the Memorandum of Understanding" in _actions(page, case.pk)
        where = page.text(f"/portal/cases/{case.pk}/")
        assert "shared it with you" in where
        assert "asking the other person" not in where
    steps = _next(mediator, case.pk)
    assert "invit" not in steps.lower() and "MIAM" not in steps and "Share the issued" not in steps
