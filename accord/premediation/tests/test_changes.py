"""Pre-mediation meetings after booking, like MIAMs and sessions: moved, cancelled and marked
did-not-attend, with the party's portal, calendar file, diary and emails following."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accord.audit.models import AuditEvent
from accord.cases.progress import next_steps
from accord.core.errors import ValidationFailed
from accord.deadlines.delivery import outbox_deliver_due
from accord.deadlines.models import OutboundEmail, OutboundStatus
from accord.meetings.appointments import appointments_between
from accord.premediation import services
from accord.premediation.models import PreMediationMeeting, PreMediationStatus
from accord.premediation.tests.test_premediation import (
    NOTES,
    _book,
    _held,
    _party,
    _weekday_at,
    _workplace,
)

pytestmark = pytest.mark.django_db


def _emails(meeting: PreMediationMeeting) -> list[OutboundEmail]:
    return list(
        OutboundEmail.objects.filter(
            relevance_check="premediation", relevance_ref__startswith=f"{meeting.pk}."
        ).order_by("id")
    )


def _event(text: str) -> Any:
    calendar = Calendar.from_ical(text)
    return calendar, next(iter(calendar.walk("VEVENT")))


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form_time(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_moving_tells_the_party_and_drops_the_email_about_the_old_time(service):
    case = _workplace(service)
    meeting = _book(service, case, starts_at=_weekday_at(10), confirm_warnings=True)
    (booked,) = _emails(meeting)
    new_time = _weekday_at(11, days_ahead=9)

    services.premediation_meeting_move(
        actor=service.coordinator,
        meeting=meeting,
        starts_at=new_time,
        duration_minutes=45,
        mode="in_person",
        place="Room 3, 1 High Street",
        confirm_warnings=True,
    )
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.duration_minutes, meeting.sequence) == (new_time, 45, 1)
    moved = AuditEvent.objects.get(action="premediation.meeting_moved", case_id=case.pk)
    assert moved.details["sequence"] == 1
    assert moved.details["participant_id"] == meeting.participant_id

    booked_again, new = _emails(meeting)
    assert booked_again.pk == booked.pk
    assert new.subject.startswith("Your meeting with the mediator has moved to")
    assert "Room 3, 1 High Street" in new.body
    _, event = _event(new.attachment_body)
    assert int(str(event["SEQUENCE"])) == 1
    assert event.decoded("DTSTART") == new_time
    assert str(event["UID"]).startswith(f"accord-premediation-{meeting.pk}@")

    outbox_deliver_due()
    booked.refresh_from_db()
    new.refresh_from_db()
    assert booked.status == OutboundStatus.DROPPED
    assert booked.last_error == "The meeting was moved after this email was written."
    assert new.status == OutboundStatus.DELIVERED

    # The party's portal and calendar file follow; the other party sees nothing of it.
    priya = _client(_party(case, "Priya Patel").user)
    portal = priya.get(reverse("portal:case", args=[case.pk])).content.decode()
    assert "<strong>Moved</strong>: the time below is the new time." in portal
    assert "Room 3, 1 High Street" in portal
    download = priya.get(reverse("premediation:calendar", args=[case.pk, meeting.pk]))
    _, event = _event(download.content.decode())
    assert int(str(event["SEQUENCE"])) == 1 and event.decoded("DTSTART") == new_time
    tom = _client(_party(case, "Tom Hale").user)
    assert "Room 3" not in tom.get(reverse("portal:case", args=[case.pk])).content.decode()


def test_bad_moves_are_refused_with_reasons_and_change_nothing(service):
    case = _workplace(service)
    at = _weekday_at(10)
    priya = _book(service, case, starts_at=at, confirm_warnings=True)
    tom = _book(service, case, "Tom Hale", starts_at=at + dt.timedelta(hours=3))
    before = (AuditEvent.objects.count(), OutboundEmail.objects.count())

    def move(**over: Any) -> None:
        data: dict[str, Any] = {
            "actor": service.coordinator,
            "meeting": tom,
            "starts_at": at + dt.timedelta(hours=4),
            "duration_minutes": 60,
            "mode": "video",
            "place": "https://video.example/pre",
            "confirm_warnings": False,
        }
        data.update(over)
        services.premediation_meeting_move(**data)

    with pytest.raises(ValidationFailed) as past:
        move(starts_at=timezone.now() - dt.timedelta(hours=2), duration_minutes=5, mode="x")
    assert past.value.field_errors["starts_at"] == ["The new time must be in the future."]
    assert {"duration_minutes", "mode"} <= set(past.value.field_errors)
    with pytest.raises(ValidationFailed) as same:
        move(starts_at=tom.starts_at)
    assert same.value.field_errors["__all__"] == ["Nothing has changed: change the time or place."]
    # Onto Priya's time with the same mediator: a clash, refused until confirmed with a reason.
    with pytest.raises(ValidationFailed) as clash:
        move(starts_at=priya.starts_at)
    assert "Clash: the mediator is already booked" in str(clash.value.field_errors)
    with pytest.raises(ValidationFailed) as no_reason:
        move(starts_at=priya.starts_at, confirm_warnings=True)
    assert no_reason.value.field_errors["confirm_reason"] == [
        "Say why you are booking over a clash."
    ]
    tom.refresh_from_db()
    assert tom.starts_at == at + dt.timedelta(hours=3) and tom.sequence == 0
    assert (AuditEvent.objects.count(), OutboundEmail.objects.count()) == before

    # Its own slot is not a clash with itself: a later start overlapping the old one is fine.
    move(starts_at=at + dt.timedelta(hours=3, minutes=30), confirm_warnings=True)
    tom.refresh_from_db()
    assert tom.sequence == 1


def test_cancelling_needs_a_reason_then_tells_the_party_without_it(service):
    case = _workplace(service)
    meeting = _book(service, case, starts_at=_weekday_at(10), confirm_warnings=True)
    (booked,) = _emails(meeting)
    with pytest.raises(ValidationFailed) as refused:
        services.premediation_meeting_cancel(actor=service.coordinator, meeting=meeting, reason=" ")
    assert refused.value.field_errors["reason"] == ["Say why the meeting is cancelled."]
    meeting.refresh_from_db()
    assert meeting.status == PreMediationStatus.BOOKED

    services.premediation_meeting_cancel(
        actor=service.coordinator, meeting=meeting, reason="REASON-PRIVATE: Priya is unwell."
    )
    meeting.refresh_from_db()
    assert meeting.status == PreMediationStatus.CANCELLED and meeting.sequence == 1
    audit = AuditEvent.objects.get(action="premediation.meeting_cancelled")
    assert "REASON-PRIVATE" not in str(audit.details)
    _, cancelled = _emails(meeting)
    assert "has been cancelled" in cancelled.body and "REASON-PRIVATE" not in cancelled.body
    calendar, event = _event(cancelled.attachment_body)
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"

    outbox_deliver_due()
    booked.refresh_from_db()
    cancelled.refresh_from_db()
    assert booked.status == OutboundStatus.DROPPED
    assert booked.last_error == "The meeting is now “cancelled”."
    assert cancelled.status == OutboundStatus.DELIVERED

    # Out of the diary and the clash check; the party's portal says cancelled, not why.
    window = (meeting.starts_at - dt.timedelta(hours=1), meeting.starts_at + dt.timedelta(hours=1))
    assert not appointments_between(service.organisation.pk, *window)
    portal = (
        _client(_party(case, "Priya Patel").user)
        .get(reverse("portal:case", args=[case.pk]))
        .content.decode()
    )
    assert "<strong>Cancelled</strong>: the meeting on" in portal
    assert "REASON-PRIVATE" not in portal
    assert "Add to your calendar" not in portal
    staff_page = _client(service.coordinator).get(reverse("premediation:case", args=[case.pk]))
    assert "REASON-PRIVATE" in staff_page.content.decode()
    with pytest.raises(ValidationFailed, match="could not be moved") as again:
        services.premediation_meeting_move(
            actor=service.coordinator,
            meeting=meeting,
            starts_at=_weekday_at(10, days_ahead=12),
            duration_minutes=60,
            mode="video",
            place="https://video.example/pre",
        )
    assert again.value.field_errors["__all__"] == ["This meeting is already “cancelled”."]
    # A cancelled meeting is no longer in the way: the party needs a new one.
    case.stage = "suitability"
    case.save(update_fields=["stage"])
    assert "Hold a pre-mediation meeting with Priya Patel." in [s.text for s in next_steps(case)]


def test_did_not_attend_only_once_due_then_rebook_and_no_notes(service):
    case = _workplace(service)
    case.stage = "suitability"
    case.save(update_fields=["stage"])
    meeting = _book(service, case)
    with pytest.raises(ValidationFailed, match="only once it was due to start"):
        services.premediation_mark_did_not_attend(actor=service.coordinator, meeting=meeting)
    meeting = _held(meeting)  # its start time has passed
    services.premediation_mark_did_not_attend(
        actor=service.coordinator, meeting=meeting, note="No word from her."
    )
    meeting.refresh_from_db()
    assert meeting.status == PreMediationStatus.DID_NOT_ATTEND and not meeting.is_held
    assert AuditEvent.objects.filter(action="premediation.did_not_attend").exists()
    steps = [s.text for s in next_steps(case)]
    assert "Priya Patel did not attend their pre-mediation meeting: book another." in steps
    with pytest.raises(ValidationFailed, match="has no notes"):
        services.premediation_notes_record(actor=service.mediator, meeting=meeting, **NOTES)
    with pytest.raises(ValidationFailed, match="already “did not attend”"):
        services.premediation_mark_did_not_attend(actor=service.coordinator, meeting=meeting)


def test_a_reminder_is_queued_once_and_dropped_if_the_meeting_moves_first(service):
    case = _workplace(service)
    soon = timezone.now() + dt.timedelta(hours=30)
    meeting = _book(service, case, starts_at=soon)
    assert services.premediation_reminders_send_due() == 1
    assert services.premediation_reminders_send_due() == 0
    reminder = OutboundEmail.objects.get(relevance_ref=f"{meeting.pk}.reminder.0")
    assert reminder.subject.startswith("Reminder: your meeting with the mediator")
    assert AuditEvent.objects.filter(action="premediation.reminder_queued").count() == 1
    # Not for a meeting further away, nor for one cancelled.
    far = _book(service, case, "Tom Hale", starts_at=timezone.now() + dt.timedelta(days=5))
    assert services.premediation_reminders_send_due() == 0
    services.premediation_meeting_move(
        actor=service.coordinator,
        meeting=meeting,
        starts_at=soon + dt.timedelta(hours=2),
        duration_minutes=60,
        mode="video",
        place="https://video.example/pre",
    )
    # Moved within the window: reminded again at the new time; the old reminder is dropped.
    assert services.premediation_reminders_send_due() == 1
    outbox_deliver_due()
    reminder.refresh_from_db()
    assert reminder.status == OutboundStatus.DROPPED
    assert reminder.last_error == "The meeting was moved after this email was written."
    assert OutboundEmail.objects.get(relevance_ref=f"{meeting.pk}.reminder.1").status == (
        OutboundStatus.DELIVERED
    )
    services.premediation_meeting_cancel(actor=service.coordinator, meeting=far, reason="x")
    assert not OutboundEmail.objects.filter(relevance_ref__startswith=f"{far.pk}.reminder").exists()


def test_a_booking_email_written_before_meetings_could_move_is_still_checked(service):
    # Booking emails queued by the earlier code carry the meeting id alone.
    case = _workplace(service)
    meeting = _book(service, case)
    assert services.premediation_email_still_relevant(str(meeting.pk)) == ""
    services.premediation_meeting_cancel(actor=service.coordinator, meeting=meeting, reason="x")
    assert services.premediation_email_still_relevant(str(meeting.pk)) == (
        "The meeting is now “cancelled”."
    )
    assert services.premediation_email_still_relevant("999999") == "The meeting no longer exists."


def test_the_pages_move_cancel_and_mark_and_parties_cannot(service):
    case = _workplace(service)
    first = _book(service, case, starts_at=_weekday_at(10), confirm_warnings=True)
    second = _book(service, case, "Tom Hale", starts_at=_weekday_at(14), confirm_warnings=True)
    staff = _client(service.coordinator)
    listing = staff.get(reverse("premediation:case", args=[case.pk])).content.decode()
    assert reverse("premediation:move", args=[case.pk, first.pk]) in listing

    move = reverse("premediation:move", args=[case.pk, first.pk])
    assert staff.get(move).status_code == 200
    refused = staff.post(
        move,
        {
            "starts_at": _form_time(timezone.now() - dt.timedelta(days=1)),
            "duration_minutes": "60",
            "mode": "video",
            "place": "https://video.example/pre",
        },
    )
    assert refused.status_code == 422
    assert "The new time must be in the future." in refused.content.decode()
    new_time = _weekday_at(15, days_ahead=8)
    moved = staff.post(
        move,
        {
            "starts_at": _form_time(new_time),
            "duration_minutes": "60",
            "mode": "video",
            "place": "https://video.example/pre",
            "confirm_warnings": "on",
        },
    )
    assert moved.status_code == 302
    first.refresh_from_db()
    assert first.starts_at == new_time and first.sequence == 1

    cancel = reverse("premediation:cancel", args=[case.pk, second.pk])
    assert staff.post(cancel, {"reason": ""}).status_code == 422
    assert staff.post(cancel, {"reason": "Tom asked to rearrange."}).status_code == 302
    second.refresh_from_db()
    assert second.status == PreMediationStatus.CANCELLED

    dna = reverse("premediation:did_not_attend", args=[case.pk, first.pk])
    early = staff.post(dna, {"note": ""})
    assert early.status_code == 422
    assert "only once it was due to start" in early.content.decode()

    # Parties never reach these pages, not even for their own meeting.
    priya = _client(_party(case, "Priya Patel").user)
    for url in (move, cancel, dna):
        assert priya.get(url).status_code in (302, 403, 404)
        assert priya.post(url, {"reason": "x"}).status_code in (302, 403, 404)
    first.refresh_from_db()
    assert first.status == PreMediationStatus.BOOKED


def test_the_api_moves_cancels_marks_and_warns_before_booking(service):
    from accord.api.tests.conftest import token_client

    case = _workplace(service)
    at = _weekday_at(10)
    staff = token_client(service.coordinator)
    booking = {
        "participant_id": _party(case, "Priya Patel").pk,
        "mediator_id": service.mediator.pk,
        "starts_at": at.isoformat(),
        "mode": "video",
        "place": "https://video.example/p",
    }
    made = staff.post(f"/cases/{case.pk}/premediation", booking)
    assert made.status_code == 201 and made.json()["status"] == "booked"
    meeting_id = made.json()["id"]
    # The same mediator at the same time for Tom: refused with the clash, as on the page.
    clash = staff.post(
        f"/cases/{case.pk}/premediation",
        {**booking, "participant_id": _party(case, "Tom Hale").pk},
    )
    assert clash.status_code == 422
    assert "Clash" in str(clash.json()["errors"]["confirm_warnings"])
    assert PreMediationMeeting.objects.filter(case=case).count() == 1

    url = f"/cases/{case.pk}/premediation/{meeting_id}"
    yesterday = (timezone.now() - dt.timedelta(days=1)).isoformat()
    past = staff.post(
        f"{url}/move", {"starts_at": yesterday, "mode": "video", "place": "https://video.example/p"}
    )
    assert past.status_code == 422
    assert past.json()["errors"]["starts_at"] == ["The new time must be in the future."]
    new_time = _weekday_at(11, days_ahead=9)
    moved = staff.post(
        f"{url}/move",
        {"starts_at": new_time.isoformat(), "mode": "phone", "place": "01234 567890"},
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["sequence"] == 1 and moved.json()["mode"] == "phone"

    party_api = token_client(_party(case, "Priya Patel").user)
    assert party_api.post(f"{url}/cancel", {"reason": "x"}).status_code == 404
    assert staff.post(f"{url}/cancel", {"reason": ""}).status_code == 422
    cancelled = staff.post(f"{url}/cancel", {"reason": "Rearranging."})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    listed = party_api.get(f"/cases/{case.pk}/premediation").json()
    assert [m["status"] for m in listed] == ["cancelled"]
    dna = staff.post(f"{url}/did-not-attend", {})
    assert dna.status_code == 422
    assert dna.json()["errors"]["__all__"] == ["This meeting is already “cancelled”."]
