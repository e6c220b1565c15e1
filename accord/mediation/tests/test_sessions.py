"""Booking, starting, attending, ending and cancelling sessions: each step and each refusal."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from accord.audit.models import AuditEvent
from accord.cases.models import Case, Participant
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.deadlines.models import OutboundEmail
from accord.mediation import services
from accord.mediation.models import (
    MediationSession,
    OpeningAccount,
    SessionAttendance,
    SessionNote,
    SessionOpening,
    SessionStatus,
)
from accord.mediation.tests.helpers import ALL_RULES, book, due, hold, party, soon, start
from accord.safeguarding.services import CasePaused

pytestmark = pytest.mark.django_db


def _state() -> dict[str, Any]:
    """Everything a refused write must leave untouched."""
    return {
        "sessions": list(MediationSession.objects.order_by("pk").values()),
        "openings": SessionOpening.objects.count(),
        "accounts": OpeningAccount.objects.count(),
        "attendance": list(SessionAttendance.objects.order_by("pk").values()),
        "notes": SessionNote.objects.count(),
        "events": AuditEvent.objects.count(),
        "emails": OutboundEmail.objects.count(),
        "cases": list(Case.objects.order_by("pk").values("stage", "is_paused")),
    }


def test_booking_a_session_records_it_audits_and_confirms_by_email(service):
    session = book(service)
    assert session.status == SessionStatus.BOOKED
    assert session.number is None
    assert session.duration_minutes == 120
    assert {p.full_name for p in session.attendees.all()} == {"Alice Smith", "Bob Jones"}
    assert list(session.mediators.all()) == [service.mediator]
    event = AuditEvent.objects.get(action="mediation.session_booked", target_id=str(session.pk))
    assert event.details["format"] == "joint"
    emails = OutboundEmail.objects.order_by("to_email")
    assert [e.to_email for e in emails] == [party(service).email, party(service, "Bob Jones").email]
    assert all("room-7" in e.body and "Joint session" in e.body for e in emails)
    # Nothing about the other attendee, the case or its people goes in the email.
    assert all("Smith" not in e.body + e.subject and "Jones" not in e.body for e in emails)


def test_no_confirmation_goes_to_someone_whose_safe_methods_exclude_email(service):
    Participant.objects.filter(pk=party(service).pk).update(safe_contact_methods=["phone"])
    book(service)
    assert [e.to_email for e in OutboundEmail.objects.all()] == [party(service, "Bob Jones").email]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"starts_at": timezone.now() - dt.timedelta(hours=1)}, "starts_at"),
        ({"duration_minutes": 29}, "duration_minutes"),
        ({"duration_minutes": 601}, "duration_minutes"),
        ({"format": "caucus"}, "format"),
        ({"mode": "carrier_pigeon"}, "mode"),
        ({"place": "   "}, "place"),
        ({"attendees": []}, "attendees"),
        ({"mediators": []}, "mediators"),
    ],
)
def test_booking_refuses_bad_input_and_changes_nothing(service, overrides, field):
    before = _state()
    with pytest.raises(ValidationFailed) as exc:
        book(service, **overrides)
    assert field in exc.value.field_errors
    assert _state() == before


def test_booking_refuses_people_of_another_case_and_staff_who_are_not_mediators(service):
    carol = Participant.objects.get(full_name="Carol Brown")
    before = _state()
    with pytest.raises(ValidationFailed) as exc:
        book(service, attendees=[party(service), carol], mediators=[service.coordinator])
    assert set(exc.value.field_errors) == {"attendees", "mediators"}
    with pytest.raises(ValidationFailed) as exc:
        # A mediator of the service who is not on the case could not open it to run the session.
        book(service, mediators=[service.mediator2])
    assert set(exc.value.field_errors) == {"mediators"}
    assert _state() == before


def test_no_session_starts_on_a_closed_case(service):
    session = due(book(service))
    Case.objects.filter(pk=service.case.pk).update(stage="closed")
    before = _state()
    with pytest.raises(ValidationFailed):
        start(service, session)
    assert _state() == before


def test_booking_is_hidden_from_parties_and_forbidden_to_look_only_staff(service, other_service):
    before = _state()
    with pytest.raises(NotFoundOrHidden):
        book(service, actor=service.parties["bob"])
    with pytest.raises(NotFoundOrHidden):
        book(service, actor=other_service.coordinator)
    with pytest.raises(NotPermitted):
        book(service, actor=service.safeguarding_lead)
    assert _state() == before


def test_a_case_paused_for_safeguarding_refuses_booking(service):
    Case.objects.filter(pk=service.case.pk).update(is_paused=True)
    before = _state()
    with pytest.raises(CasePaused):
        book(service)
    assert _state() == before


def test_the_first_session_starts_with_the_full_rules_and_each_partys_account(service):
    session = start(service, book(service))
    assert session.status == SessionStatus.IN_PROGRESS
    assert session.number == 1
    assert session.started_at is not None
    opening = SessionOpening.objects.get(session=session)
    assert opening.ground_rules_restated and opening.questions_invited
    assert all(done for _, done in opening.full_rules)
    assert OpeningAccount.objects.filter(session=session).count() == 2
    event = AuditEvent.objects.get(action="mediation.session_started")
    assert event.details["number"] == 1
    assert "children" not in str(event.details)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ground_rules_restated": False}, "ground_rules_restated"),
        ({"questions_invited": False}, "questions_invited"),
        ({"full_rules": ALL_RULES[:3]}, "full_rules"),
    ],
)
def test_a_first_session_cannot_start_without_its_opening(service, overrides, field):
    session = due(book(service))
    before = _state()
    with pytest.raises(ValidationFailed) as exc:
        start(service, session, **overrides)
    assert field in exc.value.field_errors
    assert _state() == before


def test_a_first_session_needs_every_partys_opening_account(service):
    session = due(book(service))
    before = _state()
    with pytest.raises(ValidationFailed) as exc:
        start(service, session, opening_accounts={party(service).pk: "Mine"})
    assert f"account_{party(service, 'Bob Jones').pk}" in exc.value.field_errors
    assert _state() == before


def test_later_sessions_restate_the_rules_and_take_no_opening_accounts(service):
    hold(service, book(service))
    second = due(book(service))
    before = _state()
    with pytest.raises(ValidationFailed):
        start(service, second, opening_accounts={party(service).pk: "Again"})
    assert _state() == before
    second = start(service, second)
    assert second.number == 2
    assert not OpeningAccount.objects.filter(session=second).exists()


def test_only_a_mediator_of_the_case_or_session_starts_it(service):
    session = due(book(service))
    before = _state()
    for actor in (service.coordinator, service.admin, service.supervisor):
        with pytest.raises(NotPermitted):
            start(service, session, actor=actor)
    with pytest.raises(NotFoundOrHidden):
        start(service, session, actor=service.parties["alice"])
    assert _state() == before


def test_a_session_cannot_start_early_or_twice(service):
    session = book(service, starts_at=soon(days=1))
    before = _state()
    with pytest.raises(ValidationFailed):
        services.session_start(
            actor=service.mediator,
            session=session,
            ground_rules_restated=True,
            questions_invited=True,
            full_rules=ALL_RULES,
        )
    assert _state() == before
    started = start(service, session)
    with pytest.raises(ValidationFailed):
        services.session_start(
            actor=service.mediator,
            session=started,
            ground_rules_restated=True,
            questions_invited=True,
        )


def test_a_case_paused_for_safeguarding_refuses_starting(service):
    session = due(book(service))
    Case.objects.filter(pk=service.case.pk).update(is_paused=True)
    before = _state()
    with pytest.raises(CasePaused):
        start(service, session)
    assert _state() == before


def test_attendance_then_end_records_the_session_as_held(service):
    session = start(service, book(service))
    alice, bob = party(service), party(service, "Bob Jones")
    before = _state()
    with pytest.raises(ValidationFailed):
        services.session_end(actor=service.mediator, session=session)
    assert _state() == before
    with pytest.raises(ValidationFailed) as exc:
        services.session_record_attendance(
            actor=service.mediator, session=session, attendance={alice.pk: "attended"}
        )
    assert f"attendance_{bob.pk}" in exc.value.field_errors
    services.session_record_attendance(
        actor=service.mediator,
        session=session,
        attendance={alice.pk: "attended", bob.pk: "left_early"},
    )
    session = services.session_end(actor=service.mediator, session=session)
    assert session.status == SessionStatus.HELD
    assert session.ended_at is not None
    assert dict(SessionAttendance.objects.values_list("participant_id", "status")) == {
        alice.pk: "attended",
        bob.pk: "left_early",
    }


def test_attendance_is_refused_before_the_session_starts(service):
    session = book(service)
    before = _state()
    with pytest.raises(ValidationFailed):
        services.session_record_attendance(
            actor=service.mediator,
            session=session,
            attendance={p.pk: "attended" for p in session.attendees.all()},
        )
    assert _state() == before


def test_cancelling_a_booked_session_and_recording_a_no_show(service):
    first = services.session_cancel(
        actor=service.coordinator, session=book(service), reason="The mediator is ill."
    )
    assert first.status == SessionStatus.CANCELLED
    with pytest.raises(ValidationFailed) as early:
        services.session_cancel(
            actor=service.coordinator,
            session=book(service),
            reason="Bob did not come.",
            did_not_attend=True,
        )
    assert "only once it was due to start" in early.value.field_errors["__all__"][0]
    second = services.session_cancel(
        actor=service.coordinator,
        session=due(book(service)),
        reason="Bob did not come.",
        did_not_attend=True,
    )
    assert second.status == SessionStatus.DID_NOT_ATTEND
    events = AuditEvent.objects.filter(action="mediation.session_cancelled")
    assert all("Bob" not in str(event.details) for event in events)


def test_a_held_session_cannot_be_cancelled_and_a_reason_is_needed(service):
    held = hold(service, book(service))
    booked = book(service)
    before = _state()
    with pytest.raises(ValidationFailed):
        services.session_cancel(actor=service.coordinator, session=held, reason="Oops")
    with pytest.raises(ValidationFailed):
        services.session_cancel(actor=service.coordinator, session=booked, reason=" ")
    assert _state() == before


def test_notes_are_written_once_a_session_has_started(service):
    session = book(service)
    before = _state()
    with pytest.raises(ValidationFailed):
        services.session_note_add(
            actor=service.mediator, session=session, kind="private", text="Too soon"
        )
    assert _state() == before
    session = start(service, session)
    private = services.session_note_add(
        actor=service.mediator, session=session, kind="private", text="Bob seemed anxious."
    )
    shared = services.session_note_add(
        actor=service.mediator, session=session, kind="shared_summary", text="We agreed a rota."
    )
    events = AuditEvent.objects.filter(action="mediation.note_added").order_by("pk")
    assert [e.visibility for e in events] == ["restricted", "case"]
    assert all("anxious" not in str(e.details) for e in events)
    assert (private.kind, shared.kind) == ("private", "shared_summary")


def test_notes_are_refused_to_staff_who_do_not_run_the_session(service):
    session = start(service, book(service))
    before = _state()
    for actor in (service.coordinator, service.supervisor):
        with pytest.raises(NotPermitted):
            services.session_note_add(actor=actor, session=session, kind="private", text="x")
    with pytest.raises(ValidationFailed):
        services.session_note_add(actor=service.mediator, session=session, kind="gossip", text="x")
    assert _state() == before
