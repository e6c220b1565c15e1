"""Pausing, ending and reopening a mediation, the case's stage, and the figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from accord.audit.models import AuditEvent
from accord.cases import services as case_services
from accord.cases.models import Case
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.intake.models import Enquiry
from accord.mediation import selectors, services
from accord.mediation.models import (
    MediationSession,
    MediationState,
    MediationStatus,
    MediationStatusEvent,
    SessionStatus,
)
from accord.mediation.tests.helpers import at_mediation_stage, book, due, hold, start
from accord.safeguarding.services import CasePaused

pytestmark = pytest.mark.django_db


def _state() -> dict[str, Any]:
    return {
        "status": list(MediationStatus.objects.values()),
        "events": MediationStatusEvent.objects.count(),
        "audit": AuditEvent.objects.count(),
        "cases": list(Case.objects.order_by("pk").values("stage", "closed_at")),
        "sessions": list(MediationSession.objects.order_by("pk").values("status")),
    }


def test_a_paused_mediation_refuses_to_start_sessions_until_reopened(service):
    session = due(book(service))
    status = services.mediation_pause(
        actor=service.mediator, case=service.case, reason="Alice asked for time to think."
    )
    assert status.state == MediationState.PAUSED
    before = _state()
    with pytest.raises(ValidationFailed):
        start(service, session)
    assert _state() == before
    services.mediation_reopen(actor=service.mediator, case=service.case, reason="Ready again.")
    assert start(service, session).status == SessionStatus.IN_PROGRESS
    event = AuditEvent.objects.get(action="mediation.paused")
    assert "think" not in str(event.details)


def test_pausing_twice_or_reopening_an_active_mediation_is_refused(service):
    services.mediation_pause(actor=service.mediator, case=service.case, reason="A break.")
    before = _state()
    with pytest.raises(ValidationFailed):
        services.mediation_pause(actor=service.mediator, case=service.case, reason="Again.")
    assert _state() == before
    services.mediation_reopen(actor=service.mediator, case=service.case, reason="Back.")
    before = _state()
    with pytest.raises(ValidationFailed):
        services.mediation_reopen(actor=service.mediator, case=service.case, reason="Again.")
    with pytest.raises(ValidationFailed) as exc:
        services.mediation_pause(actor=service.mediator, case=service.case, reason="  ")
    assert "reason" in exc.value.field_errors
    assert _state() == before


def test_only_the_case_mediator_pauses_ends_or_reopens(service, other_service):
    before = _state()
    for actor in (service.coordinator, service.admin, service.supervisor, service.mediator2):
        with pytest.raises((NotPermitted, NotFoundOrHidden)):
            services.mediation_pause(actor=actor, case=service.case, reason="No.")
        with pytest.raises((NotPermitted, NotFoundOrHidden)):
            services.mediation_end(actor=actor, case=service.case, reason="withdrew", note="No.")
    for actor in (service.parties["alice"], other_service.mediator):
        with pytest.raises(NotFoundOrHidden):
            services.mediation_pause(actor=actor, case=service.case, reason="No.")
    assert _state() == before


def test_ending_with_agreement_moves_the_case_to_its_outcome_and_cancels_booked_sessions(
    service,
):
    case = at_mediation_stage(service.case)
    hold(service, book(service))
    later = book(service)
    status = services.mediation_end(
        actor=service.mediator, case=case, reason="agreement", note="Parenting plan agreed."
    )
    assert (status.state, status.end_reason) == ("ended", "agreement")
    assert status.ended_at is not None
    case.refresh_from_db()
    assert case.stage == "outcome"
    later.refresh_from_db()
    assert later.status == SessionStatus.CANCELLED
    with pytest.raises(ValidationFailed):
        start(service, later)


def test_ending_after_a_party_withdrew_closes_a_family_case(service):
    case = at_mediation_stage(service.case)
    services.mediation_end(
        actor=service.mediator, case=case, reason="withdrew", note="Bob withdrew by email."
    )
    case.refresh_from_db()
    assert case.stage == "closed"
    assert case.closed_at is not None


def test_ending_a_send_mediation_without_agreement_moves_it_to_the_certificate(service):
    case = case_services.case_open(
        actor=service.coordinator,
        organisation=service.organisation,
        kind="send",
        title="Parent / County Council",
        lead_mediator=service.mediator,
    )
    Case.objects.filter(pk=case.pk).update(stage="meeting")
    services.mediation_end(
        actor=service.mediator, case=case, reason="not_suitable", note="LA without authority."
    )
    case.refresh_from_db()
    assert case.stage == "certificate"


def test_ending_twice_with_an_unknown_reason_or_during_a_session_is_refused(service):
    case = at_mediation_stage(service.case)
    before = _state()
    with pytest.raises(ValidationFailed) as exc:
        services.mediation_end(actor=service.mediator, case=case, reason="bored", note="x")
    assert "reason" in exc.value.field_errors
    start(service, book(service))
    before = _state()
    with pytest.raises(ValidationFailed):
        services.mediation_end(actor=service.mediator, case=case, reason="agreement", note="x")
    assert _state() == before


def test_agreement_cannot_be_recorded_while_paused_for_safeguarding(service):
    case = at_mediation_stage(service.case)
    Case.objects.filter(pk=case.pk).update(is_paused=True)
    before = _state()
    with pytest.raises(CasePaused):
        services.mediation_end(actor=service.mediator, case=case, reason="agreement", note="x")
    assert _state() == before
    services.mediation_end(
        actor=service.mediator, case=case, reason="safeguarding", note="Investigation."
    )
    case.refresh_from_db()
    assert case.stage == "closed"


def test_reopening_an_ended_mediation_returns_the_case_to_sessions_and_keeps_history(service):
    case = at_mediation_stage(service.case)
    services.mediation_end(actor=service.mediator, case=case, reason="withdrew", note="Gone.")
    services.mediation_reopen(actor=service.mediator, case=case, reason="Bob came back.")
    case.refresh_from_db()
    assert case.stage == "mediation"
    status = MediationStatus.objects.get(case=case)
    assert (status.state, status.end_reason, status.ended_at) == ("active", "", None)
    history = selectors.status_history_for(user=service.coordinator, case=case)
    assert [(e.from_state, e.to_state) for e in history] == [
        ("active", "ended"),
        ("ended", "active"),
    ]
    assert book(service).status == SessionStatus.BOOKED


def test_an_ended_mediation_refuses_booking(service):
    services.mediation_end(actor=service.mediator, case=service.case, reason="withdrew", note="x")
    before = MediationSession.objects.count()
    with pytest.raises(ValidationFailed):
        book(service)
    assert MediationSession.objects.count() == before


def test_metrics_count_held_sessions_and_days_from_the_enquiry_to_agreement(service):
    case = at_mediation_stage(service.case)
    Enquiry.objects.create(
        organisation=service.organisation,
        case=case,
        source="public",
        urgency="routine",
        submitted_at=dt.datetime(2026, 12, 18, 9, 0, tzinfo=dt.UTC),
    )
    hold(service, book(service))
    services.session_cancel(actor=service.coordinator, session=book(service), reason="Ill.")
    services.mediation_end(actor=service.mediator, case=case, reason="partial", note="Some.")
    MediationStatus.objects.filter(case=case).update(
        ended_at=dt.datetime(2027, 1, 4, 23, 30, tzinfo=dt.UTC)  # 4 January in London
    )
    metrics = selectors.metrics_for(user=service.coordinator, case=case)
    assert metrics.sessions_held == 1
    assert metrics.first_contact == dt.date(2026, 12, 18)
    assert metrics.agreement == dt.date(2027, 1, 4)
    assert (metrics.calendar_days, metrics.working_days) == (17, 8)


def test_metrics_start_from_the_case_opening_without_an_enquiry_and_need_agreement(service):
    case = service.case
    services.mediation_end(actor=service.mediator, case=case, reason="withdrew", note="x")
    metrics = selectors.metrics_for(user=service.coordinator, case=case)
    assert metrics.first_contact == timezone.localdate(case.opened_at)
    assert metrics.agreement is None and metrics.working_days is None
    with pytest.raises(NotFoundOrHidden):
        selectors.metrics_for(user=service.parties["alice"], case=case)
