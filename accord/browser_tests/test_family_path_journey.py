"""A family case along its path to an issued MoU: at each step the stage and "what is next"
shown to staff and the "Action needed" shown to each party match what happened.

The case team's work is done through the services (`accord.testing.journey`, the same steps as
the demo); what each person is shown is checked in the browser, signed in as them.
"""

from __future__ import annotations

from typing import Any

import pytest

from accord.browser_tests.helpers import sign_in
from accord.cases.models import Participant
from accord.testing import journey

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
    # The workspace may be split into ?section= tabs; the summary is on the first either way.
    return person.text(f"/cases/{case_pk}/")


def test_a_family_case_from_invitation_to_an_issued_mou(browser, live_server, live_service):
    svc = live_service
    case = svc.cases["family"]
    alice = Participant.objects.get(case=case, full_name="Alice Smith")
    bob = Participant.objects.get(case=case, full_name="Bob Jones")
    mediator = _Person(browser, live_server.url, svc.mediator.email, staff=True)
    alice_p = _Person(browser, live_server.url, alice.user.email, staff=False)
    bob_p = _Person(browser, live_server.url, bob.user.email, staff=False)

    assert "Enquiry" in _workspace(mediator, case.pk)
    assert "Nothing for you to do right now" in _actions(bob_p, case.pk)

    invitation = journey.invite(svc.coordinator, case, bob)
    assert "Inviting the other party" in _workspace(mediator, case.pk)
    assert "Answer the invitation to mediation" in _actions(bob_p, case.pk)
    assert "Answer the invitation" not in _actions(alice_p, case.pk)

    journey.answer_willing(invitation)
    assert "The other person has answered the invitation" in alice_p.text(
        f"/portal/cases/{case.pk}/"
    )

    miams = [
        journey.book_miam(svc.coordinator, case, person, svc.mediator, days=2 + i)
        for i, person in enumerate((alice, bob))
    ]
    assert "Your MIAM is on" in _actions(alice_p, case.pk)
    for miam, person in zip(miams, (alice, bob), strict=True):
        journey.hold_miam(svc.mediator, miam)
        journey.screen(svc.mediator, miam, person)
    assert "Suitability decision" in _workspace(mediator, case.pk)

    journey.decide(svc.mediator, case, "shuttle")
    agreement = journey.agreement_prepared(svc.mediator, case)
    assert "Agreement to Mediate" in _workspace(mediator, case.pk)
    for person, page in ((alice, alice_p), (bob, bob_p)):
        assert "Sign the Agreement to Mediate" in _actions(page, case.pk)
        journey.sign_online(agreement.packet, person)
        assert "Sign the Agreement to Mediate" not in _actions(page, case.pk)
    assert "Mediation sessions" in _workspace(mediator, case.pk)

    session = journey.book_session(svc.mediator, case, [alice, bob])
    assert "Your next mediation session is on" in _actions(bob_p, case.pk)
    journey.start_session(svc.mediator, session)
    journey.finish_session(svc.mediator, session)
    journey.agree_item(svc.mediator, case, "Weekends", "Alternate weekends, Friday to Sunday.")

    draft = journey.issue_outcome(svc.mediator, case, "mou")
    assert "Written outcome" in _workspace(mediator, case.pk)
    journey.share_outcome(svc.mediator, draft, [alice, bob])
    for page in (alice_p, bob_p):
        assert "Read the Memorandum of Understanding" in _actions(page, case.pk)
        where = page.text(f"/portal/cases/{case.pk}/")
        assert "shared it with you" in where
        assert "asking the other person" not in where
