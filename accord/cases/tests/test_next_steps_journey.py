"""What is next, for staff and each party, follows a family case's records along its whole path.

The case is moved only by the services (as people would through the pages), and at each step
the team's next steps and each party's actions must say what is really next, and nothing of a
step already done (the Khan / Wright bug: "Invite the other party" while in sessions).
"""

from __future__ import annotations

import pytest

from accord.cases.models import Case, Participant
from accord.cases.progress import next_steps, party_actions
from accord.testing import journey


def _texts(case: Case, user=None) -> list[str]:
    return [step.text for step in next_steps(Case.objects.get(pk=case.pk), user=user)]


def _actions(case: Case, participant: Participant) -> list[str]:
    return [a.text for a in party_actions(Case.objects.get(pk=case.pk), participant)]


def _has(texts: list[str], *fragments: str) -> bool:
    return all(any(fragment in text for text in texts) for fragment in fragments)


def _never(texts: list[str], *fragments: str) -> None:
    for fragment in fragments:
        assert not any(fragment in text for text in texts), (fragment, texts)


@pytest.fixture
def family(service):
    case = service.case
    alice = Participant.objects.get(case=case, full_name="Alice Smith")
    bob = Participant.objects.get(case=case, full_name="Bob Jones")
    return service, case, alice, bob


def test_a_family_case_gets_sensible_steps_and_actions_at_each_stage(family):
    service, case, alice, bob = family
    mediator = service.mediator

    # Enquiry: nobody invited yet.
    assert case.stage == "enquiry"
    steps = _texts(case, mediator)
    assert _has(steps, "Invite the other party")
    assert _actions(case, bob) == []

    # The other party is invited: staff wait; Bob is asked to answer, Alice is not.
    invitation = journey.invite(service.coordinator, case, bob)
    case.refresh_from_db()
    assert case.stage == "willingness"
    steps = _texts(case, mediator)
    assert _has(steps, "Wait for Bob Jones's answer")
    _never(steps, "Invite the other party")
    assert _has(_actions(case, bob), "Answer the invitation")
    assert _actions(case, alice) == []

    # Bob is willing: book both MIAMs; Bob has nothing to answer any more.
    journey.answer_willing(invitation)
    steps = _texts(case, mediator)
    _never(steps, "Invite the other party", "Wait for")
    assert _has(steps, "Book a MIAM for Alice Smith", "Book a MIAM for Bob Jones")
    assert not _has(_actions(case, bob), "Answer the invitation")

    # MIAMs booked: each party sees only their own MIAM, in plain words.
    alice_miam = journey.book_miam(service.coordinator, case, alice, mediator, days=3)
    bob_miam = journey.book_miam(service.coordinator, case, bob, mediator, days=4)
    case.refresh_from_db()
    assert case.stage == "miam"
    assert [a for a in _actions(case, alice) if "Your MIAM is on" in a]
    assert len([a for a in _actions(case, bob) if "Your MIAM" in a]) == 1
    _never(_texts(case, mediator), "Book a MIAM")

    # Alice's MIAM held: screening to record (for the mediator only, not the coordinator).
    journey.hold_miam(mediator, alice_miam, days_ago=1)
    assert _has(_texts(case, mediator), "Record Alice Smith's screening")
    _never(_texts(case, service.coordinator), "screening")
    _never(_texts(case), "screening")
    journey.screen(mediator, alice_miam, alice)
    _never(_texts(case, mediator), "Alice Smith's screening", "Decide suitability")

    # Bob's MIAM held too: the case moves to suitability, and the decision is next.
    journey.hold_miam(mediator, bob_miam)
    journey.screen(mediator, bob_miam, bob)
    case.refresh_from_db()
    assert case.stage == "suitability"
    steps = _texts(case, mediator)
    assert _has(steps, "Decide suitability")
    _never(steps, "MIAM", "Invite", "screening")

    # Shuttle decided: the Agreement to Mediate is next.
    journey.decide(mediator, case, "shuttle")
    case.refresh_from_db()
    assert case.stage == "agreement"
    steps = _texts(case, mediator)
    assert _has(steps, "Prepare the Agreement to Mediate")
    _never(steps, "Decide suitability")

    # Prepared: staff chase signatures; each party is asked to sign.
    agreement = journey.agreement_prepared(mediator, case)
    assert _has(_texts(case, mediator), "Waiting for Alice Smith, Bob Jones to sign")
    assert _has(_actions(case, alice), "Sign the Agreement to Mediate")
    journey.sign_online(agreement.packet, alice)
    assert not _has(_actions(case, alice), "Sign the")
    assert _has(_actions(case, bob), "Sign the Agreement to Mediate")
    assert _has(_texts(case, mediator), "Waiting for Bob Jones to sign")
    journey.sign_online(agreement.packet, bob)
    case.refresh_from_db()
    assert case.stage == "mediation"
    steps = _texts(case, mediator)
    assert _has(steps, "Book the first mediation session")
    _never(steps, "Agreement to Mediate", "Invite", "MIAM")

    # A session booked: it is the next thing, and each party is told when it is.
    session = journey.book_session(mediator, case, [alice, bob])
    assert _has(_texts(case, mediator), "Next session: shuttle")
    assert _has(_actions(case, bob), "Your next mediation session is on")

    # Held: set the agenda, book the next session.
    journey.start_session(mediator, session)
    assert _has(_texts(case, mediator), "is in progress")
    journey.finish_session(mediator, session)
    steps = _texts(case, mediator)
    assert _has(steps, "Book the next session", "Set the agenda")
    assert _has(_actions(case, alice), "Add the topics")
    journey.agree_item(mediator, case, "Weekends", "Alternate weekends, Friday to Sunday.")
    _never(_texts(case, mediator), "Set the agenda")
    assert not _has(_actions(case, alice), "Add the topics")

    # The MoU issued: the case is at its outcome; share it; then each party reads it.
    draft = journey.issue_outcome(mediator, case, "mou")
    case.refresh_from_db()
    assert case.stage == "outcome"
    steps = _texts(case, mediator)
    assert _has(steps, "Share the issued Memorandum of Understanding")
    _never(steps, "session", "Invite", "MIAM", "Agreement to Mediate", "agenda")
    journey.share_outcome(mediator, draft, [alice, bob])
    _never(_texts(case, mediator), "Share the issued")
    assert _actions(case, alice) == ["Read the Memorandum of Understanding."]
    assert _actions(case, bob) == ["Read the Memorandum of Understanding."]
