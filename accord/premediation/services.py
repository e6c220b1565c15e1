"""Every change to pre-mediation meetings: booking one, and recording the mediator's notes.

Booking is open to the case's staff who may change it (coordinators book like other
appointments); the mediator must be the case's lead or co-mediator. Notes are recorded by the
case's mediators only. Audit details carry ids, never the notes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases.models import Case, Participant
from accord.cases.progress import ensure_part_applies
from accord.core.errors import NotPermitted, ValidationFailed
from accord.meetings.models import MeetingMode
from accord.premediation.models import PreMediationMeeting

NOTE_LIMIT = 5000
MIN_MINUTES, MAX_MINUTES = 15, 240


def is_case_mediator(user: Any, case: Case) -> bool:
    """Whether the user is the case's lead or co-mediator (and may still change the case)."""
    from accord.cases import policy as case_policy

    pk = getattr(user, "pk", None)
    return (
        pk is not None
        and pk in (case.lead_mediator_id, case.co_mediator_id)
        and case_policy.can(user, "change", case)
    )


def _locked_case(actor: Any, case: Case) -> Case:
    from accord.cases.services import case_locked_for

    return case_locked_for(
        actor=actor,
        case=case,
        action="change",
        refusal="You do not have permission to arrange meetings on this case.",
    )


@transaction.atomic
def premediation_meeting_book(
    *,
    actor: Any,
    case: Case,
    participant: Participant | None,
    mediator: Any,
    starts_at: dt.datetime | None,
    mode: str,
    place: str,
    duration_minutes: int = 60,
    confirm_warnings: bool | None = None,
    confirm_reason: str = "",
) -> PreMediationMeeting:
    """Book a pre-mediation meeting of one party with a mediator of the case team.

    Like MIAMs and sessions, a clash, weekend, bank holiday or closure is refused until the
    booker confirms it (`confirm_warnings`, with `confirm_reason` for a clash); None skips the
    check, for callers that book on purpose (the demo, imports).
    """
    from accord.meetings.services.miams import audit_warnings_confirmed, confirm_booking_warnings
    from accord.safeguarding.services import ensure_case_not_paused

    case = _locked_case(actor, case)
    ensure_part_applies(case, "premediation")
    ensure_case_not_paused(case, doing="booking a pre-mediation meeting")
    errors: dict[str, list[str]] = {}
    if case.is_closed:
        errors["__all__"] = ["The case is closed, so no meeting can be booked."]
    if participant is None or participant.case_id != case.pk or not participant.is_party:
        errors["participant"] = ["Choose a party of this case."]
    if mediator is None or getattr(mediator, "pk", None) not in (
        case.lead_mediator_id,
        case.co_mediator_id,
    ):
        errors["mediator"] = ["Choose the case's lead mediator or co-mediator."]
    if starts_at is None or starts_at.tzinfo is None:
        errors["starts_at"] = ["Enter when the meeting starts, as a date and time."]
    elif starts_at <= timezone.now():
        errors["starts_at"] = ["The meeting must start in the future."]
    if isinstance(duration_minutes, bool) or not isinstance(duration_minutes, int):
        errors["duration_minutes"] = ["Enter the length of the meeting in minutes."]
    elif not MIN_MINUTES <= duration_minutes <= MAX_MINUTES:
        errors["duration_minutes"] = [
            f"A meeting lasts between {MIN_MINUTES} and {MAX_MINUTES} minutes."
        ]
    if mode not in MeetingMode.values:
        errors["mode"] = ["Choose in person, video call or phone call."]
    place = place.strip() if isinstance(place, str) else ""
    if not place:
        errors["place"] = ["Enter the place, the video link or the number to call."]
    elif len(place) > 500:
        errors["place"] = ["The place or link must be 500 characters or fewer."]
    if errors or participant is None or starts_at is None:
        general = errors.get("__all__", ["The meeting could not be booked."])[0]
        raise ValidationFailed(general, field_errors=errors)
    confirmed = confirm_booking_warnings(
        organisation=case.organisation,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=duration_minutes),
        staff_ids=[mediator.pk],
        people=[participant],
        confirm=confirm_warnings,
        reason=confirm_reason,
        what="The meeting could not be booked.",
    )
    meeting = PreMediationMeeting.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        participant=participant,
        mediator=mediator,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        mode=mode,
        place=place,
        booked_by=actor,
    )
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="premediation.meeting_booked",
        target=meeting,
        case_id=case.pk,
        details={
            "meeting_id": meeting.pk,
            "participant_id": meeting.participant_id,
            "mediator_id": mediator.pk,
            "mode": mode,
        },
    )
    audit_warnings_confirmed(actor, case, meeting, confirmed, confirm_reason)
    _email_booking(meeting)
    return meeting


def _email_booking(meeting: PreMediationMeeting) -> bool:
    """Queue the party's booking email with its calendar file, where they may be emailed.

    It says when, how and where, as the portal does; nothing else about the case. Dropped at
    delivery if the meeting has started or been held by then (`premediation_email_still_relevant`).
    """
    from accord.deadlines.conf import site_url
    from accord.deadlines.outbox import email_enqueue

    person = meeting.participant
    if not person.can_be_emailed:
        return False
    when = timezone.localtime(meeting.starts_at)
    base = site_url()
    body = (
        f"{meeting.organisation.name} has booked a meeting for you with your mediator, before "
        "the joint session. It is just you and the mediator: a chance to say how you see "
        "things and what you hope for.\n\n"
        f"When: {when:%A} {when.day} {when:%B %Y at %H:%M}, for about "
        f"{meeting.duration_minutes} minutes\n"
        f"How: {meeting.get_mode_display()}: {meeting.place}\n\n"
        f"Sign in to {base}/portal/ to see it. The calendar file attached adds it to your "
        "calendar.\n"
    )
    _, created = email_enqueue(
        organisation_id=meeting.organisation_id,
        key=f"premediation.{meeting.pk}.booked.{int(meeting.starts_at.timestamp())}",
        to_email=person.email,
        subject="Your meeting with the mediator",
        body=body,
        still_relevant=("premediation", str(meeting.pk)),
        attachment=("meeting.ics", "text/calendar; charset=utf-8", premediation_ics(meeting)),
    )
    return created


def premediation_email_still_relevant(ref: str) -> str:
    """Why a pre-mediation booking email should not be sent now ("" to send it)."""
    meeting = PreMediationMeeting.objects.filter(pk=int(ref) if ref.isdigit() else 0).first()
    if meeting is None:
        return "The meeting no longer exists."
    if meeting.is_held:
        return "The meeting was held before this email was sent."
    if meeting.starts_at <= timezone.now():
        return "The meeting had started before this email was sent."
    return ""


@transaction.atomic
def premediation_notes_record(
    *,
    actor: Any,
    meeting: PreMediationMeeting,
    perspective: str,
    goals: str = "",
    concerns: str = "",
    ideas: str = "",
) -> PreMediationMeeting:
    """A case mediator records what the party said: perspective, goals, concerns, ideas.

    Recording the notes marks the meeting held; it may be corrected later.
    """
    case = _locked_case(actor, meeting.case)
    meeting = PreMediationMeeting.objects.select_for_update().get(pk=meeting.pk, case=case)
    if not is_case_mediator(actor, case):
        raise NotPermitted("Only the case's mediators can record pre-mediation notes.")
    errors: dict[str, list[str]] = {}
    values: dict[str, str] = {}
    for field, value in (
        ("perspective", perspective),
        ("goals", goals),
        ("concerns", concerns),
        ("ideas", ideas),
    ):
        text = value.strip() if isinstance(value, str) else ""
        if len(text) > NOTE_LIMIT:
            errors[field] = [f"Use {NOTE_LIMIT} characters or fewer."]
        values[field] = text
    if not values["perspective"]:
        errors["perspective"] = ["Record how the party sees the dispute."]
    if meeting.starts_at > timezone.now():
        errors["__all__"] = ["The meeting has not started yet, so it cannot be recorded."]
    if errors:
        general = errors.get("__all__", ["The notes could not be saved."])[0]
        raise ValidationFailed(general, field_errors=errors)
    first = meeting.held_at is None
    for field, text in values.items():
        setattr(meeting, field, text)
    meeting.held_at = meeting.held_at or timezone.now()
    meeting.notes_by = actor
    meeting.save(update_fields=[*values, "held_at", "notes_by", "updated_at"])
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="premediation.notes_recorded",
        target=meeting,
        case_id=case.pk,
        details={
            "meeting_id": meeting.pk,
            "participant_id": meeting.participant_id,
            "first": first,
        },
    )
    return meeting


def premediation_ics(meeting: PreMediationMeeting) -> str:
    """The meeting's iCalendar file: when, how and where only, never the notes."""
    from accord.deadlines.conf import message_id_domain
    from accord.meetings.ics import CalendarEntry, ics_text

    is_link = meeting.place.startswith(("https://", "http://"))
    return ics_text(
        CalendarEntry(
            uid=f"accord-premediation-{meeting.pk}@{message_id_domain()}",
            sequence=0,
            title=f"Meeting with your mediator ({meeting.organisation.name})",
            starts_at=meeting.starts_at,
            ends_at=meeting.starts_at + dt.timedelta(minutes=meeting.duration_minutes),
            location="" if is_link else meeting.place,
            description=f"{meeting.get_mode_display()}: {meeting.place}",
            url=meeting.place if is_link else "",
        )
    )
