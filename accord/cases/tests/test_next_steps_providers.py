"""Each part's "what is next" provider, on the records that change its answer.

The whole family path is in test_next_steps_journey.py; here are the branches it does not take:
conflict checks, lapsed and refused invitations, certificates, outcomes awaiting approval,
safeguarding (restricted to those who may read it), other kinds of case, and the template tag.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from accord.cases import services as case_services
from accord.cases.models import Case, Participant
from accord.cases.progress import next_steps, party_actions
from accord.intake import services as intake
from accord.intake.models import EnquirySource
from accord.testing import journey
from accord.willingness.models import InvitationStatus, WillingnessInvitation


def _texts(case: Case, user=None) -> list[str]:
    return [step.text for step in next_steps(Case.objects.get(pk=case.pk), user=user)]


def _joined(case: Case, user=None) -> str:
    return " | ".join(_texts(case, user))


@pytest.fixture
def family(service):
    case = service.case
    alice = Participant.objects.get(case=case, full_name="Alice Smith")
    bob = Participant.objects.get(case=case, full_name="Bob Jones")
    return service, case, alice, bob


def test_an_enquiry_asks_for_its_conflict_check_until_it_is_recorded(service):
    enquiry = intake.enquiry_submit(
        actor=None,
        organisation=service.organisation,
        source=EnquirySource.PUBLIC,
        applicant={
            "full_name": "Dana Green",
            "email": "dana@example.com",
            "safe_contact_methods": ["email"],
        },
        other_parties=[],
        children=[],
        issues=["child_arrangements"],
        urgency="routine",
    )
    assert "Run the conflict check" in _joined(enquiry.case, service.coordinator)
    intake.conflict_check_record(actor=service.coordinator, enquiry=enquiry, decision="no_conflict")
    assert "conflict check" not in _joined(enquiry.case, service.coordinator)


def test_an_unanswered_invitation_past_its_date_is_urgent_and_a_lapse_asks_what_next(family):
    service, case, _alice, bob = family
    invitation = journey.invite(service.coordinator, case, bob)
    WillingnessInvitation.objects.filter(pk=invitation.pk).update(
        respond_by=timezone.localdate() - dt.timedelta(days=1)
    )
    steps = next_steps(Case.objects.get(pk=case.pk), user=service.mediator)
    assert steps[0].urgent and "was due on" in steps[0].text and "Bob Jones" in steps[0].text
    WillingnessInvitation.objects.filter(pk=invitation.pk).update(status=InvitationStatus.LAPSED)
    text = _joined(case, service.mediator)
    assert "Bob Jones did not answer in time" in text
    assert "MIAM certificate" in text
    # No MIAM to book for someone who did not agree to come.
    assert "Book a MIAM for Bob Jones" not in text
    assert "Book a MIAM for Alice Smith" in text


def test_a_not_suitable_decision_asks_for_certificates_and_closing(family):
    service, case, alice, bob = family
    journey.invite(service.coordinator, case, bob)
    WillingnessInvitation.objects.filter(case=case).update(status=InvitationStatus.WILLING)
    journey.miams_held_and_screened(service.coordinator, case, service.mediator, [alice, bob])
    journey.decide(service.mediator, case, "not_suitable")
    text = _joined(case, service.mediator)
    assert "Mediation is not suitable" in text
    assert "Issue Alice Smith's MIAM certificate" in text
    assert "Issue Bob Jones's MIAM certificate" in text
    assert "Agreement to Mediate" not in text


def test_an_outcome_by_a_provisional_mediator_waits_for_approval_then_is_issued(family):
    from accord.outcomes import services as outcomes

    service, case, _alice, _bob = family
    case = case_services.case_assign_team(
        actor=service.coordinator,
        case=case,
        lead_mediator=service.mediator2,
        co_mediator=None,
        supervisor=service.supervisor,
    )
    draft = outcomes.outcome_draft_create(actor=service.mediator2, case=case, kind="mou")
    assert "Finish the draft Memorandum of Understanding" in _joined(case, service.mediator2)
    outcomes.outcome_draft_update(
        actor=service.mediator2,
        draft=draft,
        fields={"introduction": "Proposals.", "next_steps": "Legal advice."},
    )
    outcomes.outcome_submit_for_approval(actor=service.mediator2, draft=draft)
    assert "awaiting the supervisor's approval" in _joined(case, service.mediator2)
    outcomes.outcome_approve(actor=service.supervisor, draft=draft)
    assert "approved: issue it" in _joined(case, service.mediator2)


def test_safeguarding_steps_are_urgent_and_only_for_those_who_may_read_them(family):
    from accord.safeguarding.services.concerns import concern_raise

    service, case, alice, bob = family
    concern_raise(
        actor=service.coordinator,
        case=case,
        source="other",
        allegation="A child said something worrying at the school gate.",
        subject_kind="child",
        subject_name="Child A",
        alleged_by="Alice Smith",
    )
    for reader in (service.mediator, service.supervisor, service.safeguarding_lead):
        steps = next_steps(Case.objects.get(pk=case.pk), user=reader)
        assert steps[0].urgent and steps[0].restricted
        assert "make the threshold decision" in steps[0].text
    for outsider in (service.coordinator, service.mediator2, None):
        assert "Safeguarding" not in _joined(case, outsider)
        assert "safeguarding" not in _joined(case, outsider)
    # Parties are never told.
    for party in (alice, bob):
        assert all("afeguard" not in a.text for a in party_actions(case, party))


def test_a_civil_case_gets_no_miam_steps_and_goes_from_suitability_to_its_agreement(service):
    civil = service.cases["civil"]
    case_services.case_change_stage(
        actor=service.mediator2, case=civil, to_stage="suitability", reason="Both agreed."
    )
    text = _joined(civil, service.mediator2)
    assert "MIAM" not in text and "screening" not in text
    assert "Decide suitability" in text
    journey.decide(service.mediator2, civil, "joint")
    text = _joined(civil, service.mediator2)
    assert "Prepare the Agreement to Mediate" in text
    assert "Decide suitability" not in text


def test_a_case_moved_on_by_hand_is_not_asked_for_earlier_stage_work(family):
    """The Khan / Wright bug: a case in sessions must not be asked to invite anyone."""
    service, case, _alice, _bob = family
    for stage in ("willingness", "miam", "suitability", "agreement", "mediation"):
        case = case_services.case_change_stage(
            actor=service.mediator, case=case, to_stage=stage, reason="Done on paper."
        )
    text = _joined(case, service.mediator)
    assert "Invite the other party" not in text
    assert "Book a MIAM" not in text
    assert "Decide suitability" not in text


def test_the_workspace_tag_lists_the_steps_with_links_for_the_signed_in_user(family):
    service, case, _alice, _bob = family
    request = RequestFactory().get("/")
    request.user = service.mediator
    html = Template("{% load progress_tags %}{% case_next_steps case %}").render(
        Context({"case": case, "request": request})
    )
    assert "What is next" in html
    assert f'href="/cases/{case.pk}/willingness/invite/"' in html
    assert "Invite the other party to mediation." in html
