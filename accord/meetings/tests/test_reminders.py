"""Emails to MIAM attendees: a confirmation on booking and a reminder within 48 hours."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.audit.models import AuditEvent
from accord.cases.models import Participant
from accord.deadlines.models import OutboundEmail
from accord.meetings import services
from accord.meetings.models import Miam, MiamStatus
from accord.meetings.tests.helpers import book, party

pytestmark = pytest.mark.django_db

ALICE = "alice@riverside.example"
BOB = "bob@riverside.example"


def _reminders(to: str | None = None) -> list[OutboundEmail]:
    emails = OutboundEmail.objects.filter(message_id__contains=".reminder.")
    if to:
        emails = emails.filter(to_email=to)
    return list(emails)


def _move(miam: Miam, starts_at: dt.datetime) -> None:
    Miam.objects.filter(pk=miam.pk).update(starts_at=starts_at)


def test_booking_confirms_by_email_with_when_how_and_where_only(service):
    miam = book(service, place="https://video.example/room-9", duration_minutes=50)
    email = OutboundEmail.objects.get(message_id__contains=".booked.")
    assert email.to_email == ALICE
    assert "https://video.example/room-9" in email.body
    assert "Video call" in email.body and "about 50 minutes" in email.body
    assert "Bob" not in email.body and "screening" not in email.body.lower()
    event = AuditEvent.objects.get(action="miam.reminder_sent")
    assert event.details == {
        "miam_id": miam.pk,
        "participant_id": party(service).pk,
        "kind": "booked",
    }


def test_a_miam_within_48_hours_is_reminded_once_even_when_the_sweep_runs_twice(service):
    miam = book(service)
    now = miam.starts_at - dt.timedelta(hours=47)
    assert services.miam_reminders_send_due(now=now) == 1
    assert services.miam_reminders_send_due(now=now) == 0
    assert services.miam_reminders_send_due(now=now + dt.timedelta(hours=1)) == 0
    assert [e.to_email for e in _reminders()] == [ALICE]
    kinds = [e.details["kind"] for e in AuditEvent.objects.filter(action="miam.reminder_sent")]
    assert sorted(kinds) == ["booked", "reminder"]


def test_no_reminder_too_early_after_the_start_or_for_a_miam_no_longer_booked(service):
    miam = book(service)
    assert services.miam_reminders_send_due(now=miam.starts_at - dt.timedelta(hours=49)) == 0
    assert services.miam_reminders_send_due(now=miam.starts_at) == 0
    assert services.miam_reminders_send_due(now=miam.starts_at + dt.timedelta(minutes=1)) == 0
    Miam.objects.filter(pk=miam.pk).update(status=MiamStatus.CANCELLED)
    assert services.miam_reminders_send_due(now=miam.starts_at - dt.timedelta(hours=2)) == 0
    assert _reminders() == []


def test_a_rebooked_miam_is_reminded_again(service):
    miam = book(service)
    assert services.miam_reminders_send_due(now=miam.starts_at - dt.timedelta(hours=24)) == 1
    later = miam.starts_at + dt.timedelta(hours=3)
    _move(miam, later)
    assert services.miam_reminders_send_due(now=later - dt.timedelta(hours=24)) == 1
    assert len(_reminders(ALICE)) == 2


def test_no_email_where_email_is_unsafe_or_there_is_no_address(service):
    Participant.objects.filter(pk=party(service).pk).update(safe_contact_methods=["phone"])
    Participant.objects.filter(pk=party(service, "Bob Jones").pk).update(email="")
    alice_miam = book(service)
    bob_miam = book(service, "Bob Jones")
    for miam in (alice_miam, bob_miam):
        assert services.miam_reminders_send_due(now=miam.starts_at - dt.timedelta(hours=1)) == 0
    assert not OutboundEmail.objects.exists()
    assert not AuditEvent.objects.filter(action="miam.reminder_sent").exists()


def test_email_listed_as_safe_is_used(service):
    Participant.objects.filter(pk=party(service).pk).update(safe_contact_methods=["email", "text"])
    miam = book(service)
    assert services.miam_reminders_send_due(now=miam.starts_at - dt.timedelta(hours=1)) == 1


def test_a_joint_miam_reminds_each_party_without_naming_the_other(service):
    both = [party(service), party(service, "Bob Jones")]
    miam = book(service, attendees=both, joint=True)
    assert services.miam_reminders_send_due(now=miam.starts_at - dt.timedelta(hours=1)) == 2
    by_address = {e.to_email: e.body for e in _reminders()}
    assert set(by_address) == {ALICE, BOB}
    assert "Bob" not in by_address[ALICE] and "Alice" not in by_address[BOB]


@pytest.mark.parametrize(
    ("starts_at_utc", "expected"),
    [
        # The day the clocks go forward: 09:00 UTC is 10:00 BST.
        (dt.datetime(2026, 3, 29, 9, 0, tzinfo=dt.UTC), "Sunday 29 March 2026"),
        # The day the clocks go back: 10:00 UTC is 10:00 GMT, though the day before was BST.
        (dt.datetime(2026, 10, 25, 10, 0, tzinfo=dt.UTC), "Sunday 25 October 2026"),
    ],
)
def test_the_reminder_gives_uk_time_across_the_clock_change(service, starts_at_utc, expected):
    miam = book(service)
    _move(miam, starts_at_utc)
    assert services.miam_reminders_send_due(now=starts_at_utc - dt.timedelta(hours=30)) == 1
    (email,) = _reminders()
    assert f"Date: {expected}" in email.body
    assert "Time: 10:00 (UK time)" in email.body
    assert expected in email.subject
