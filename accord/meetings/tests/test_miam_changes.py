"""Moving, cancelling, did-not-attend and recording a MIAM after the fact; team-only booking;
warnings before booking; the calendar file; and stale MIAM emails dropped at delivery."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from accord.audit.models import AuditEvent
from accord.cases.models import Case
from accord.core.errors import ValidationFailed
from accord.deadlines.delivery import outbox_deliver_due
from accord.deadlines.models import CalendarOverride, OutboundEmail, OutboundStatus
from accord.deadlines.selectors import forget_calendars
from accord.meetings import services
from accord.meetings.models import CHECKLIST, Miam, MiamStatus
from accord.meetings.tests.helpers import book, party, soon

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def _weekday_at(days: int, hour: int = 10) -> dt.datetime:
    """A weekday at least `days` ahead that is not a bank holiday in England, at `hour` UK time."""
    from accord.calendar import default_calendar

    calendar = default_calendar()
    day = timezone.localdate() + dt.timedelta(days=days)
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON)


def _christmas() -> dt.datetime:
    year = timezone.localdate().year + 1
    day = dt.date(year, 12, 25)
    return dt.datetime.combine(day, dt.time(10), tzinfo=LONDON)


def _event(text: str):
    calendar = Calendar.from_ical(text)
    return calendar, next(iter(calendar.walk("VEVENT")))


def test_moving_a_miam_changes_its_time_tells_attendees_and_drops_the_stale_booking_email(
    service,
):
    miam = book(service, starts_at=_weekday_at(5))
    old_email = OutboundEmail.objects.get(message_id__contains=f"miam.{miam.pk}.booked.")
    new_time = _weekday_at(9, 14)
    moved = services.miam_move(
        actor=service.coordinator,
        miam=miam,
        starts_at=new_time,
        duration_minutes=60,
        mode="video",
        place="https://video.example/room-2",
        confirm_warnings=False,
    )
    assert moved.starts_at == new_time and moved.sequence == 1
    event = AuditEvent.objects.get(action="miam.moved", target_id=str(miam.pk))
    assert event.details["from"] == miam.starts_at.isoformat()
    outbox_deliver_due()
    old_email.refresh_from_db()
    assert old_email.status == OutboundStatus.DROPPED
    assert "moved" in old_email.last_error
    moved_email = OutboundEmail.objects.get(message_id__contains=f"miam.{miam.pk}.moved.")
    assert moved_email.status == OutboundStatus.DELIVERED
    assert [m.subject for m in mail.outbox] == [moved_email.subject]
    # The calendar file goes with it: same UID, SEQUENCE 1, the new start.
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert name == "miam.ics" and mimetype.startswith("text/calendar")
    _, vevent = _event(content)
    assert int(vevent["SEQUENCE"]) == 1
    assert vevent.decoded("DTSTART") == new_time


def test_a_reminder_for_a_miam_cancelled_since_is_dropped_with_the_reason(service):
    miam = book(service, starts_at=soon(1))
    services.miam_reminders_send_due()
    reminder = OutboundEmail.objects.get(message_id__contains=f"miam.{miam.pk}.reminder.")
    services.miam_cancel(actor=service.coordinator, miam=miam, reason="The party is unwell.")
    outbox_deliver_due()
    reminder.refresh_from_db()
    assert reminder.status == OutboundStatus.DROPPED
    assert reminder.last_error == "The MIAM is now “Cancelled”."
    cancelled = OutboundEmail.objects.get(message_id__contains=f"miam.{miam.pk}.cancelled.")
    assert cancelled.status == OutboundStatus.DELIVERED
    # The reason stays with the team: never in the email, nor in the audit trail.
    assert "unwell" not in cancelled.body
    assert "unwell" not in str(
        AuditEvent.objects.get(action="miam.cancelled", target_id=str(miam.pk)).details
    )
    calendar, vevent = _event(cancelled.attachment_body)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert int(vevent["SEQUENCE"]) == 1


def test_cancelling_needs_a_reason_and_changes_nothing_without_one(service):
    miam = book(service)
    with pytest.raises(ValidationFailed) as exc:
        services.miam_cancel(actor=service.coordinator, miam=miam, reason="   ")
    assert "reason" in exc.value.field_errors
    miam.refresh_from_db()
    assert miam.status == MiamStatus.BOOKED and miam.sequence == 0
    assert not AuditEvent.objects.filter(action="miam.cancelled").exists()


def test_moving_into_the_past_is_refused_and_nothing_changes(service):
    miam = book(service)
    before = miam.starts_at
    with pytest.raises(ValidationFailed) as exc:
        services.miam_move(
            actor=service.coordinator,
            miam=miam,
            starts_at=timezone.now() - dt.timedelta(days=1),
            duration_minutes=45,
            mode="video",
            place=miam.place,
        )
    assert "starts_at" in exc.value.field_errors
    miam.refresh_from_db()
    assert miam.starts_at == before and miam.sequence == 0
    assert not OutboundEmail.objects.filter(message_id__contains=".moved.").exists()


def test_did_not_attend_only_after_the_start_and_then_audited(service):
    miam = book(service)
    with pytest.raises(ValidationFailed, match="not attended"):
        services.miam_mark_did_not_attend(actor=service.coordinator, miam=miam)
    Miam.objects.filter(pk=miam.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    miam.refresh_from_db()
    services.miam_mark_did_not_attend(actor=service.coordinator, miam=miam)
    miam.refresh_from_db()
    assert miam.status == MiamStatus.DID_NOT_ATTEND
    event = AuditEvent.objects.get(action="miam.did_not_attend")
    assert event.details["attendee_ids"] == [party(service).pk]


def test_a_miam_that_took_place_can_be_recorded_after_the_fact_but_only_in_the_past(service):
    past = timezone.now() - dt.timedelta(days=3)
    with pytest.raises(ValidationFailed) as exc:
        book(service, starts_at=soon(), already_held=True)
    assert "starts_at" in exc.value.field_errors
    with pytest.raises(ValidationFailed) as exc:
        book(service, starts_at=past)
    assert "already took place" in exc.value.field_errors["starts_at"][0]
    assert not Miam.objects.exists()
    miam = book(service, starts_at=past, already_held=True, covered=[CHECKLIST[0][0]])
    assert miam.status == MiamStatus.HELD and miam.recorded_after
    assert miam.covered_options and not miam.covered_costs
    assert AuditEvent.objects.filter(action="miam.recorded_after").exists()
    assert not OutboundEmail.objects.exists()


def test_only_the_case_team_can_be_booked_and_booking_offers_to_add_them(service):
    with pytest.raises(ValidationFailed) as exc:
        book(service, mediator=service.mediator2)
    assert "not on this case's team" in exc.value.field_errors["mediator"][0]
    assert not Miam.objects.exists()
    miam = book(service, mediator=service.mediator2, add_to_team=True)
    case = Case.objects.get(pk=service.case.pk)
    assert case.co_mediator_id == service.mediator2.pk
    assert case.lead_mediator_id == service.mediator.pk
    assert miam.mediator == service.mediator2


def test_a_clash_is_warned_and_needs_a_reason_to_book_over_it(service):
    at = _weekday_at(6)
    book(service, starts_at=at)
    with pytest.raises(ValidationFailed) as exc:
        book(
            service,
            name="Bob Jones",
            starts_at=at + dt.timedelta(minutes=15),
            confirm_warnings=False,
        )
    assert any("Clash" in m for m in exc.value.field_errors["confirm_warnings"])
    with pytest.raises(ValidationFailed) as exc:
        book(service, name="Bob Jones", starts_at=at, confirm_warnings=True, confirm_reason=" ")
    assert "confirm_reason" in exc.value.field_errors
    assert Miam.objects.count() == 1
    book(
        service,
        name="Bob Jones",
        starts_at=at,
        confirm_warnings=True,
        confirm_reason="Back to back in two rooms.",
    )
    event = AuditEvent.objects.get(action="appointment.warnings_confirmed")
    assert event.details["clash"] is True and event.details["with_reason"] is True
    assert "Back to back" not in str(event.details)
    assert Miam.objects.get(pk=int(event.target_id)).warnings_reason == (
        "Back to back in two rooms."
    )


def test_bank_holidays_weekends_and_closures_are_warned(service):
    with pytest.raises(ValidationFailed) as exc:
        book(service, starts_at=_christmas(), confirm_warnings=False)
    assert any("bank holiday" in m for m in exc.value.field_errors["confirm_warnings"])
    closed = _weekday_at(12)
    CalendarOverride.objects.create(
        organisation=service.organisation, date=closed.date(), kind="closure", name="Staff training"
    )
    forget_calendars()
    with pytest.raises(ValidationFailed) as exc:
        book(service, starts_at=closed, confirm_warnings=False)
    assert any("Staff training" in m for m in exc.value.field_errors["confirm_warnings"])
    # No warning: it saves without confirming.
    assert book(service, starts_at=_weekday_at(5), confirm_warnings=False).pk


def test_the_calendar_uid_is_stable_across_a_move(service):
    miam = book(service, starts_at=_weekday_at(5))
    _, first = _event(services.miam_ics(miam))
    services.miam_move(
        actor=service.coordinator,
        miam=miam,
        starts_at=_weekday_at(7),
        duration_minutes=45,
        mode="in_person",
        place="Room 2",
    )
    miam.refresh_from_db()
    _, second = _event(services.miam_ics(miam))
    assert str(first["UID"]) == str(second["UID"])
    assert (int(first["SEQUENCE"]), int(second["SEQUENCE"])) == (0, 1)


def test_a_missed_miam_suggests_rebooking_in_what_is_next(service):
    from accord.meetings.next_steps import miam_steps

    miam = book(service)
    Miam.objects.filter(pk=miam.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    miam.refresh_from_db()
    services.miam_mark_did_not_attend(actor=service.coordinator, miam=miam)
    texts = [step.text for step in miam_steps(Case.objects.get(pk=service.case.pk))]
    assert any(t.startswith("Rebook a MIAM for Alice Smith, who did not attend") for t in texts)
