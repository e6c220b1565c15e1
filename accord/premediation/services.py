"""Every change to pre-mediation meetings: booking, moving, cancelling, marking one not attended,
recording the mediator's notes, and the party's emails (with a calendar file) about them.

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
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.meetings.models import MeetingMode
from accord.premediation.models import PreMediationMeeting, PreMediationStatus

NOTE_LIMIT = 5000
REASON_LIMIT = 2000
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
    _email_party(meeting, "booked")
    return meeting


# Changes after booking: move, cancel, did not attend (like MIAMs and sessions)


def _locked_meeting(actor: Any, meeting: PreMediationMeeting) -> tuple[PreMediationMeeting, Case]:
    case = _locked_case(actor, meeting.case)
    try:
        locked = PreMediationMeeting.objects.select_for_update().get(pk=meeting.pk, case=case)
    except PreMediationMeeting.DoesNotExist:
        raise NotFoundOrHidden("No such meeting.") from None
    return locked, case


def _still_booked(meeting: PreMediationMeeting, what: str) -> None:
    if not meeting.is_booked:
        already = f"This meeting is already “{meeting.get_status_display().lower()}”."
        raise ValidationFailed(f"{what} {already}", field_errors={"__all__": [already]})


@transaction.atomic
def premediation_meeting_move(
    *,
    actor: Any,
    meeting: PreMediationMeeting,
    starts_at: dt.datetime | None,
    duration_minutes: int,
    mode: str,
    place: str,
    confirm_warnings: bool | None = None,
    confirm_reason: str = "",
) -> PreMediationMeeting:
    """Move a booked meeting to a new time, place or way of meeting, and tell the party.

    The new time is warned about like a booking (its own old slot is not a clash). SEQUENCE goes
    up, so the party's calendar updates the same entry and emails about the old time are dropped.
    """
    from accord.meetings.services.common import appointment_reschedule
    from accord.meetings.services.miams import audit_warnings_confirmed, confirm_booking_warnings
    from accord.safeguarding.services import ensure_case_not_paused

    meeting, case = _locked_meeting(actor, meeting)
    what = "The meeting could not be moved."
    _still_booked(meeting, what)
    ensure_case_not_paused(case, doing="moving a pre-mediation meeting")
    errors: dict[str, list[str]] = {}
    if starts_at is None or not isinstance(starts_at, dt.datetime) or starts_at.tzinfo is None:
        errors["starts_at"] = ["Enter the new date and time."]
    elif starts_at <= timezone.now():
        errors["starts_at"] = ["The new time must be in the future."]
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
    if errors or starts_at is None:
        raise ValidationFailed(what, field_errors=errors)
    if (starts_at, duration_minutes, mode, place) == (
        meeting.starts_at,
        meeting.duration_minutes,
        meeting.mode,
        meeting.place,
    ):
        raise ValidationFailed(
            what, field_errors={"__all__": ["Nothing has changed: change the time or place."]}
        )
    confirmed = confirm_booking_warnings(
        organisation=case.organisation,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=duration_minutes),
        staff_ids=[meeting.mediator_id],
        people=[meeting.participant],
        confirm=confirm_warnings,
        reason=confirm_reason,
        what=what,
        ignore_key=f"premediation.{meeting.pk}",
    )
    before = appointment_reschedule(
        meeting, starts_at=starts_at, duration_minutes=duration_minutes, mode=mode, place=place
    )
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="premediation.meeting_moved",
        target=meeting,
        case_id=case.pk,
        details={
            "meeting_id": meeting.pk,
            "participant_id": meeting.participant_id,
            "from": before.isoformat(),
            "starts_at": starts_at.isoformat(),
            "mode": mode,
            "sequence": meeting.sequence,
        },
    )
    audit_warnings_confirmed(actor, case, meeting, confirmed, confirm_reason)
    _email_party(meeting, "moved")
    return meeting


@transaction.atomic
def premediation_meeting_cancel(
    *, actor: Any, meeting: PreMediationMeeting, reason: str
) -> PreMediationMeeting:
    """Cancel a booked meeting with a reason (kept for the team), and tell the party.

    The email says only that the meeting on that date is cancelled, never why, with a calendar
    file that removes it from their calendar.
    """
    meeting, case = _locked_meeting(actor, meeting)
    what = "The meeting could not be cancelled."
    _still_booked(meeting, what)
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise ValidationFailed(what, field_errors={"reason": ["Say why the meeting is cancelled."]})
    if len(reason) > REASON_LIMIT:
        raise ValidationFailed(
            what, field_errors={"reason": [f"Keep the reason to {REASON_LIMIT:,} characters."]}
        )
    meeting.status = PreMediationStatus.CANCELLED
    meeting.cancelled_at = timezone.now()
    meeting.cancel_reason = reason
    meeting.sequence += 1
    meeting.save(
        update_fields=["status", "cancelled_at", "cancel_reason", "sequence", "updated_at"]
    )
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="premediation.meeting_cancelled",
        target=meeting,
        case_id=case.pk,
        # The reason may name people: it stays on the meeting, out of the trail.
        details={
            "meeting_id": meeting.pk,
            "participant_id": meeting.participant_id,
            "starts_at": meeting.starts_at.isoformat(),
        },
    )
    _email_party(meeting, "cancelled")
    return meeting


@transaction.atomic
def premediation_mark_did_not_attend(
    *, actor: Any, meeting: PreMediationMeeting, note: str = ""
) -> PreMediationMeeting:
    """Record that the meeting did not take place because the party did not come.

    Only once its start time has passed; the note (optional) is kept for the team. A new meeting
    can then be booked with the party.
    """
    meeting, case = _locked_meeting(actor, meeting)
    what = "The meeting could not be marked as not attended."
    _still_booked(meeting, what)
    note = note.strip() if isinstance(note, str) else ""
    errors: dict[str, list[str]] = {}
    if meeting.starts_at > timezone.now():
        errors["__all__"] = [
            "A meeting can be marked as not attended only once it was due to start."
        ]
    if len(note) > REASON_LIMIT:
        errors["note"] = [f"Keep the note to {REASON_LIMIT:,} characters."]
    if errors:
        raise ValidationFailed(errors.get("__all__", [what])[0], field_errors=errors)
    meeting.status = PreMediationStatus.DID_NOT_ATTEND
    meeting.cancelled_at = timezone.now()
    meeting.cancel_reason = note
    meeting.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="premediation.did_not_attend",
        target=meeting,
        case_id=case.pk,
        details={"meeting_id": meeting.pk, "participant_id": meeting.participant_id},
    )
    return meeting


# Emails to the party: booked, moved, cancelled, and a reminder 48 hours before

REMINDER_WINDOW = dt.timedelta(hours=48)


def _email_text(meeting: PreMediationMeeting, kind: str) -> tuple[str, str]:
    """The subject and body: when, how and where, as the portal shows; nothing else."""
    from accord.deadlines.conf import site_url

    when = timezone.localtime(meeting.starts_at)
    day = f"{when:%A} {when.day} {when:%B %Y}"
    service = meeting.organisation.name
    base = site_url()
    if kind == "cancelled":
        contact = f" on {meeting.organisation.phone}" if meeting.organisation.phone else ""
        return (
            "Your meeting with the mediator is cancelled",
            f"Your meeting with the mediator on {day} at {when:%H:%M} has been cancelled.\n\n"
            f"Please contact {service}{contact} if you have any questions. The calendar file "
            "attached removes it from your calendar.\n",
        )
    subject, opening = {
        "booked": (
            "Your meeting with the mediator",
            f"{service} has booked a meeting for you with your mediator, before the joint "
            "session. It is just you and the mediator: a chance to say how you see things and "
            "what you hope for.",
        ),
        "moved": (
            f"Your meeting with the mediator has moved to {day}",
            f"{service} has moved your meeting with the mediator. The new details are below; "
            "the earlier time no longer applies.",
        ),
        "reminder": (
            f"Reminder: your meeting with the mediator on {day}",
            "This is a reminder of your meeting with the mediator, before the joint session.",
        ),
    }[kind]
    body = (
        f"{opening}\n\n"
        f"When: {day} at {when:%H:%M}, for about {meeting.duration_minutes} minutes\n"
        f"How: {meeting.get_mode_display()}: {meeting.place}\n\n"
        f"Sign in to {base}/portal/ to see it. The calendar file attached adds it to your "
        "calendar.\n"
    )
    return subject, body


def _email_party(meeting: PreMediationMeeting, kind: str) -> bool:
    """Queue one email to the party, where email can safely reach them; True if written.

    Its key names the meeting, the kind and the version (SEQUENCE), so a moved meeting is
    confirmed and reminded again, and each email is written once however often this runs. The
    deliverer drops it if, by then, the meeting has moved, ended or been cancelled
    (`premediation_email_still_relevant`).
    """
    from accord.deadlines.outbox import email_enqueue

    person = meeting.participant
    if not person.can_be_emailed:
        return False
    subject, body = _email_text(meeting, kind)
    stamp = int(meeting.starts_at.timestamp())
    _, created = email_enqueue(
        organisation_id=meeting.organisation_id,
        key=f"premediation.{meeting.pk}.{kind}.{stamp}.s{meeting.sequence}",
        to_email=person.email,
        subject=subject,
        body=body,
        still_relevant=("premediation", f"{meeting.pk}.{kind}.{meeting.sequence}"),
        attachment=("meeting.ics", "text/calendar; charset=utf-8", premediation_ics(meeting)),
    )
    return created


def premediation_email_still_relevant(ref: str) -> str:
    """Why a pre-mediation email should not be sent now ("" to send it).

    `ref` is "meeting.kind.sequence" ("meeting" alone for booking emails written before
    meetings could be moved).
    """
    pk, _, rest = ref.partition(".")
    kind, _, sequence = rest.partition(".")
    meeting = PreMediationMeeting.objects.filter(pk=int(pk) if pk.isdigit() else 0).first()
    if meeting is None:
        return "The meeting no longer exists."
    if kind == "cancelled":
        return ""
    if meeting.status == PreMediationStatus.HELD or meeting.is_held:
        return "The meeting was held before this email was sent."
    if meeting.status != PreMediationStatus.BOOKED:
        return f"The meeting is now “{meeting.get_status_display().lower()}”."
    if sequence.isdigit() and int(sequence) != meeting.sequence:
        return "The meeting was moved after this email was written."
    if meeting.starts_at <= timezone.now():
        return "The meeting had started before this email was sent."
    return ""


def premediation_reminders_send_due(*, now: dt.datetime | None = None) -> int:
    """Remind each party of a booked meeting starting in the next 48 hours; emails written.

    For the worker's loop. Each meeting is handled in its own transaction with its row locked
    (another worker skips it) and each reminder has a fixed key, so running twice, even at once,
    writes it once; a moved meeting is reminded again at its new time.
    """
    from accord.cases import kinds

    now = now or timezone.now()
    general = kinds.kinds_with("premediation")
    window = {
        "status": PreMediationStatus.BOOKED,
        "starts_at__gt": now,
        "starts_at__lte": now + REMINDER_WINDOW,
        "case__kind__in": general,
    }
    due = list(PreMediationMeeting.objects.filter(**window).values_list("pk", flat=True))
    written = 0
    for pk in due:
        with transaction.atomic():
            meeting = (
                PreMediationMeeting.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("organisation", "participant", "case")
                .filter(pk=pk, **window)
                .first()
            )
            if meeting is None or meeting.case.is_paused:
                continue
            if _email_party(meeting, "reminder"):
                written += 1
                audit_record(
                    organisation_id=meeting.organisation_id,
                    actor=None,
                    action="premediation.reminder_queued",
                    target=meeting,
                    case_id=meeting.case_id,
                    details={"meeting_id": meeting.pk, "participant_id": meeting.participant_id},
                )
    return written


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
    if meeting.status in (PreMediationStatus.CANCELLED, PreMediationStatus.DID_NOT_ATTEND):
        errors["__all__"] = [
            f"This meeting is “{meeting.get_status_display().lower()}”, so it has no notes: "
            "book another meeting with the party."
        ]
    elif meeting.starts_at > timezone.now():
        errors["__all__"] = ["The meeting has not started yet, so it cannot be recorded."]
    if errors:
        general = errors.get("__all__", ["The notes could not be saved."])[0]
        raise ValidationFailed(general, field_errors=errors)
    first = meeting.held_at is None
    for field, text in values.items():
        setattr(meeting, field, text)
    meeting.held_at = meeting.held_at or timezone.now()
    meeting.status = PreMediationStatus.HELD
    meeting.notes_by = actor
    meeting.save(update_fields=[*values, "held_at", "status", "notes_by", "updated_at"])
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
    from accord.meetings.models import link_or_blank

    link = link_or_blank(meeting.place) if meeting.mode == MeetingMode.VIDEO else ""
    return ics_text(
        CalendarEntry(
            uid=f"accord-premediation-{meeting.pk}@{message_id_domain()}",
            sequence=meeting.sequence,
            title=f"Meeting with your mediator ({meeting.organisation.name})",
            starts_at=meeting.starts_at,
            ends_at=meeting.starts_at + dt.timedelta(minutes=meeting.duration_minutes),
            location="" if link else meeting.place,
            description=f"{meeting.get_mode_display()}: {meeting.place}",
            url=link,
            cancelled=meeting.status == PreMediationStatus.CANCELLED,
        )
    )
