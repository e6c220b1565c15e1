"""The stage follows what happens: events move a case on by themselves, audited, never back."""

from __future__ import annotations

import pytest

from accord.audit.models import AuditEvent
from accord.cases import progress
from accord.cases import services as case_services
from accord.cases.models import Case
from accord.meetings import services as meeting_services
from accord.meetings.tests.helpers import book, held
from accord.safeguarding.services import CasePaused
from accord.safeguarding.tests.helpers import raise_concern

pytestmark = pytest.mark.django_db


def _stage(case: Case) -> str:
    case.refresh_from_db()
    return case.stage


def _walk(service, case: Case, *stages: str) -> Case:
    for stage in stages:
        case = case_services.case_change_stage(
            actor=service.mediator, case=case, to_stage=stage, reason="Next step"
        )
    return case


def _moves(case: Case) -> list[dict]:
    return [
        event.details
        for event in AuditEvent.objects.filter(
            case_id=case.pk, action="case.stage_changed"
        ).order_by("id")
    ]


def test_an_event_moves_the_case_forward_in_the_same_audit_trail(service):
    case = service.case
    moved = progress.case_advance(actor=service.mediator, case=case, event="miam_booked")
    assert moved is not None and moved.stage == "miam"
    assert _stage(case) == "miam"
    assert _moves(case) == [
        {"from": "enquiry", "to": "miam", "event": "miam_booked", "automatic": True}
    ]


def test_an_event_never_moves_a_case_back_or_out_of_closed(service):
    case = _walk(service, service.case, "miam", "suitability")
    assert progress.case_advance(actor=service.mediator, case=case, event="miam_booked") is None
    assert _stage(case) == "suitability"
    case_services.case_change_stage(
        actor=service.mediator, case=case, to_stage="closed", reason="Withdrew"
    )
    assert progress.case_advance(actor=service.mediator, case=case, event="session_started") is None
    assert _stage(case) == "closed"
    assert len(_moves(case)) == 3


def test_an_event_its_workflow_does_not_know_changes_nothing(service):
    civil = service.cases["civil"]
    assert progress.case_advance(actor=service.mediator2, case=civil, event="miam_booked") is None
    assert _stage(civil) == "enquiry"
    assert _moves(civil) == []


def test_an_unknown_event_is_a_programming_error(service):
    with pytest.raises(ValueError, match="Unknown case event"):
        progress.case_advance(actor=service.mediator, case=service.case, event="divorce")


def test_a_case_paused_for_safeguarding_is_not_moved_into_sessions_by_an_event(service):
    case = _walk(service, service.case, "miam", "suitability", "agreement")
    concern = raise_concern(service)
    from accord.safeguarding import services as safeguarding

    safeguarding.investigation_open(
        actor=service.safeguarding_lead,
        concern=concern,
        investigating_agency="Leeds children's services",
        investigation_reference="S47-1",
        reasons="Section 47 enquiry open",
    )
    case.refresh_from_db()
    assert (
        progress.case_advance(actor=service.mediator, case=case, event="agreement_signed") is None
    )
    assert _stage(case) == "agreement"
    # The same guard refuses a move by hand, with its own message.
    with pytest.raises(CasePaused):
        case_services.case_change_stage(
            actor=service.mediator, case=case, to_stage="mediation", reason="Signed"
        )


def test_booking_and_holding_miams_moves_a_family_case_to_miam_then_suitability(service):
    book(service)
    assert _stage(service.case) == "miam"
    held(service)
    # Bob has not had his MIAM yet, so the case waits at MIAM.
    assert _stage(service.case) == "miam"
    assert [
        p.full_name for p in meeting_services.miams.parties_without_held_miam(service.case)
    ] == ["Bob Jones"]
    held(service, "Bob Jones")
    assert _stage(service.case) == "suitability"
    assert [m["event"] for m in _moves(service.case)] == ["miam_booked", "miams_held"]


def test_a_suitability_decision_moves_the_case_on_unless_mediation_is_not_suitable(service):
    meeting_services.suitability_decide(
        actor=service.mediator,
        case=service.case,
        route="not_suitable",
        reasons="Fear of the other party",
        signposting="National Domestic Abuse Helpline",
    )
    assert _stage(service.case) == "enquiry"
    meeting_services.suitability_decide(
        actor=service.mediator, case=service.case, route="shuttle", reasons="Separate rooms"
    )
    assert _stage(service.case) == "agreement"


def test_a_refused_event_moves_nothing(service):
    with pytest.raises(Exception):  # noqa: B017 - whichever refusal, the case must not move
        meeting_services.suitability_decide(
            actor=service.coordinator, case=service.case, route="joint", reasons="Fine"
        )
    assert _stage(service.case) == "enquiry"
    assert _moves(service.case) == []


def test_ensure_part_applies_refuses_with_a_clear_message(service):
    progress.ensure_part_applies(service.case, "miam")
    with pytest.raises(progress.PartNotApplicable) as caught:
        progress.ensure_part_applies(service.cases["civil"], "miam")
    assert caught.value.status_code == 422
    assert "family mediation" in caught.value.message
    assert caught.value.field_errors == {"__all__": [caught.value.message]}


def test_next_steps_fall_back_to_the_stage_and_a_closed_case_has_none(service, monkeypatch):
    monkeypatch.setattr(progress, "_NEXT_STEPS", {})
    steps = progress.next_steps(service.case)
    assert [step.text for step in steps] == [service.case.next_step]
    monkeypatch.setattr(
        progress,
        "_NEXT_STEPS",
        {
            "miam": lambda case: [progress.NextStep("Book Bob's MIAM", "miam")],
            "safeguarding": lambda case: [progress.NextStep("Paused", "safeguarding", urgent=True)],
            # A part that does not apply to the kind is never asked.
            "rooms": lambda case: [progress.NextStep("Open the rooms", "rooms")],
        },
    )
    assert [step.text for step in progress.next_steps(service.case)] == [
        "Paused",
        "Book Bob's MIAM",
        "Open the rooms",
    ]
    civil_steps = progress.next_steps(service.cases["civil"])
    assert "Book Bob's MIAM" not in [step.text for step in civil_steps]
    closed = case_services.case_change_stage(
        actor=service.mediator, case=service.case, to_stage="closed", reason="Withdrew"
    )
    assert progress.next_steps(closed) == []


def test_a_step_that_comes_first_hides_the_ordinary_path_but_not_urgent_steps(monkeypatch):
    from accord.cases import progress as progress_module

    first = progress_module.NextStep(
        text="Check conflicts", part="conflict_check", comes_first=True
    )
    later = progress_module.NextStep(text="Invite the other party", part="willingness")
    urgent = progress_module.NextStep(text="Safety block", part="safeguarding", urgent=True)
    providers = {
        "conflict_check": lambda case: [first],
        "willingness": lambda case: [later],
        "agenda": lambda case: [urgent],
    }
    monkeypatch.setattr(progress_module, "_NEXT_STEPS", providers)

    class _Case:
        kind = "family_children"
        is_closed = False
        next_step = "fallback"

    assert progress_module.next_steps(_Case()) == [urgent, first]  # type: ignore[arg-type]
    providers["conflict_check"] = lambda case: []
    assert progress_module.next_steps(_Case()) == [urgent, later]  # type: ignore[arg-type]
