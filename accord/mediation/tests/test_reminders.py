"""Session reminders: about 48 hours ahead, once per booked time, only where email is safe."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from accord.cases.models import Case, Participant
from accord.deadlines.models import OutboundEmail
from accord.mediation.models import MediationSession
from accord.mediation.services import session_reminders_send_due
from accord.mediation.tests.helpers import book, party

pytestmark = pytest.mark.django_db


def _reminders() -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(subject__startswith="Reminder").order_by("to_email"))


def _move(session: MediationSession, starts_at: dt.datetime) -> None:
    MediationSession.objects.filter(pk=session.pk).update(starts_at=starts_at)


def test_attendees_are_reminded_once_within_48_hours(service):
    session = book(service, starts_at=timezone.now() + dt.timedelta(days=5))
    assert session_reminders_send_due() == 0
    _move(session, timezone.now() + dt.timedelta(hours=47))
    assert session_reminders_send_due() == 2
    assert session_reminders_send_due() == 0
    assert [e.to_email for e in _reminders()] == [
        party(service).email,
        party(service, "Bob Jones").email,
    ]


def test_a_rebooked_time_reminds_again(service):
    session = book(service)
    _move(session, timezone.now() + dt.timedelta(hours=40))
    session_reminders_send_due()
    _move(session, timezone.now() + dt.timedelta(hours=30))
    assert session_reminders_send_due() == 2
    assert len(_reminders()) == 4


def test_no_reminder_where_email_is_not_a_safe_method_or_the_session_is_off(service):
    Participant.objects.filter(pk=party(service).pk).update(safe_contact_methods=["text"])
    session = book(service)
    _move(session, timezone.now() + dt.timedelta(hours=24))
    session_reminders_send_due()
    assert [e.to_email for e in _reminders()] == [party(service, "Bob Jones").email]
    cancelled = book(service)
    MediationSession.objects.filter(pk=cancelled.pk).update(
        status="cancelled", starts_at=timezone.now() + dt.timedelta(hours=20)
    )
    past = book(service)
    _move(past, timezone.now() - dt.timedelta(hours=1))
    assert session_reminders_send_due() == 0


def test_no_reminder_while_the_case_is_paused_for_safeguarding(service):
    session = book(service)
    _move(session, timezone.now() + dt.timedelta(hours=24))
    Case.objects.filter(pk=service.case.pk).update(is_paused=True)
    assert session_reminders_send_due() == 0


@pytest.mark.parametrize(
    ("starts_at", "wall_clock"),
    [
        # 10:00 in London is 10:00 UTC in winter (GMT) and 09:00 UTC in summer (BST).
        (dt.datetime(2027, 1, 12, 10, 0, tzinfo=dt.UTC), "Tuesday 12 January 2027 at 10:00"),
        (dt.datetime(2027, 7, 13, 9, 0, tzinfo=dt.UTC), "Tuesday 13 July 2027 at 10:00"),
        # The day the clocks go forward: 01:30 UTC is 02:30 BST.
        (dt.datetime(2027, 3, 28, 1, 30, tzinfo=dt.UTC), "Sunday 28 March 2027 at 02:30"),
    ],
)
def test_reminders_give_the_time_in_london_across_daylight_saving(
    service, monkeypatch: Any, starts_at, wall_clock
):
    session = book(service)
    _move(session, starts_at)
    monkeypatch.setattr(timezone, "now", lambda: starts_at - dt.timedelta(hours=36))
    assert session_reminders_send_due() == 2
    body = _reminders()[0].body
    assert f"When: {wall_clock} (UK time)" in body
    assert "Joint session" in body and "https://video.example/room-7" in body
    # Nothing else: no names, no case reference, nothing from notes.
    assert "Smith" not in body and "Jones" not in body and service.case.reference not in body
