"""Moving and cancelling sessions: attendees told, calendar files, stale emails dropped,
warnings confirmed, and bad input leaving nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from accord.audit.models import AuditEvent
from accord.core.errors import ValidationFailed
from accord.deadlines.delivery import outbox_deliver_due
from accord.deadlines.models import OutboundEmail, OutboundStatus
from accord.mediation import services
from accord.mediation.models import MediationSession, SessionStatus
from accord.mediation.tests.helpers import book, due
from accord.testing.journey import future

pytestmark = pytest.mark.django_db


def test_moving_a_session_drops_the_stale_confirmation_and_sends_the_new_calendar(service):
    session = book(service, starts_at=future(4))
    new = future(9, 14)
    services.session_move(
        actor=service.mediator,
        session=session,
        starts_at=new,
        duration_minutes=90,
        mode="in_person",
        place="Room 3",
        confirm_warnings=False,
    )
    outbox_deliver_due()
    booked = OutboundEmail.objects.filter(message_id__contains=".booked.")
    assert booked.count() == 2
    assert {e.status for e in booked} == {OutboundStatus.DROPPED}
    moved = OutboundEmail.objects.filter(message_id__contains=".moved.")
    assert {e.status for e in moved} == {OutboundStatus.DELIVERED}
    event = next(iter(Calendar.from_ical(moved[0].attachment_body).walk("VEVENT")))
    assert int(str(event["SEQUENCE"])) == 1 and event.decoded("DTSTART") == new
    assert AuditEvent.objects.filter(action="mediation.session_moved").count() == 1
    assert len(mail.outbox) == 2


def test_cancelling_keeps_the_reason_for_the_team_and_tells_attendees_without_it(service):
    session = book(service, starts_at=future(4))
    services.session_cancel(actor=service.mediator, session=session, reason="Bob is in hospital.")
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED and session.cancel_reason
    outbox_deliver_due()
    sent = [m for m in mail.outbox if "cancelled" in m.subject]
    assert len(sent) == 2
    assert all("hospital" not in m.body for m in sent)
    assert all("METHOD:CANCEL" in m.attachments[0][1] for m in sent)


def test_a_reminder_for_a_session_already_held_is_dropped(service):
    session = book(service, starts_at=timezone.now() + dt.timedelta(hours=20))
    services.session_reminders_send_due()
    reminders = OutboundEmail.objects.filter(message_id__contains=".reminder.")
    assert reminders.count() == 2
    MediationSession.objects.filter(pk=session.pk).update(status=SessionStatus.HELD)
    outbox_deliver_due()
    assert {e.last_error for e in reminders.all()} == {"The session is now “Held”."}


def test_moving_into_the_past_or_over_a_clash_without_a_reason_changes_nothing(service):
    first = book(service, starts_at=future(4))
    second = book(service, starts_at=future(6))
    with pytest.raises(ValidationFailed) as exc:
        services.session_move(
            actor=service.mediator,
            session=second,
            starts_at=timezone.now() - dt.timedelta(days=1),
            duration_minutes=120,
            mode="video",
            place="https://v.example/x",
            confirm_warnings=False,
        )
    assert "starts_at" in exc.value.field_errors
    with pytest.raises(ValidationFailed) as exc:
        services.session_move(
            actor=service.mediator,
            session=second,
            starts_at=first.starts_at,
            duration_minutes=120,
            mode="video",
            place="https://v.example/x",
            confirm_warnings=True,
        )
    assert "confirm_reason" in exc.value.field_errors
    second.refresh_from_db()
    assert second.sequence == 0 and second.starts_at != first.starts_at
    assert not OutboundEmail.objects.filter(message_id__contains=".moved.").exists()


def test_a_session_that_did_not_go_ahead_cannot_be_moved(service):
    session = due(book(service))
    services.session_cancel(
        actor=service.mediator, session=session, reason="No show", did_not_attend=True
    )
    with pytest.raises(ValidationFailed):
        services.session_move(
            actor=service.mediator,
            session=session,
            starts_at=future(5),
            duration_minutes=120,
            mode="video",
            place="https://v.example/x",
        )
