"""MIAMs after booking: moving, cancelling and recording that nobody came; the calendar file;
the check that drops a stale MIAM email at delivery; and the MIAMs' place in the diary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases.models import Participant
from accord.cases.progress import ensure_part_applies
from accord.core.errors import NotFoundOrHidden, ValidationFailed
from accord.meetings.appointments import Appointment
from accord.meetings.ics import CalendarEntry, ics_text
from accord.meetings.models import MeetingMode, Miam, MiamStatus
from accord.meetings.services.common import appointment_reschedule, locked_case
from accord.meetings.services.miams import (
    MAX_MINUTES,
    MIN_MINUTES,
    _aware,
    _email_attendees,
    audit_warnings_confirmed,
    confirm_booking_warnings,
)

REASON_LIMIT = 2000


def _locked(miam: Miam) -> Miam:
    try:
        return Miam.objects.select_for_update().get(pk=miam.pk)
    except Miam.DoesNotExist:
        raise NotFoundOrHidden("No such MIAM.") from None


def _still_booked(miam: Miam, what: str) -> None:
    if miam.status != MiamStatus.BOOKED:
        raise ValidationFailed(
            what,
            field_errors={"__all__": [f"This MIAM is already “{miam.get_status_display()}”."]},
        )


@transaction.atomic
def miam_move(
    *,
    actor: Any,
    miam: Miam,
    starts_at: dt.datetime,
    duration_minutes: int,
    mode: str,
    place: str,
    confirm_warnings: bool | None = None,
    confirm_reason: str = "",
) -> Miam:
    """Move a booked MIAM to a new time, place or way of meeting, and tell those attending."""
    miam = _locked(miam)
    case = locked_case(actor, miam.case, "change")
    ensure_part_applies(case, "miam")
    what = "The MIAM could not be moved."
    _still_booked(miam, what)
    errors: dict[str, list[str]] = {}
    if not _aware(starts_at):
        errors["starts_at"] = ["Enter the new date and time."]
    elif starts_at <= timezone.now():
        errors["starts_at"] = ["The new time must be in the future."]
    if isinstance(duration_minutes, bool) or not isinstance(duration_minutes, int):
        errors["duration_minutes"] = ["Enter the length of the MIAM in minutes."]
    elif not MIN_MINUTES <= duration_minutes <= MAX_MINUTES:
        errors["duration_minutes"] = [
            f"A MIAM lasts between {MIN_MINUTES} and {MAX_MINUTES} minutes."
        ]
    if mode not in MeetingMode.values:
        errors["mode"] = ["Choose in person, video call or phone call."]
    place = place.strip() if isinstance(place, str) else ""
    if not place:
        errors["place"] = ["Enter the place, the video link or the number to call."]
    elif len(place) > 500:
        errors["place"] = ["The place or link must be 500 characters or fewer."]
    if errors:
        raise ValidationFailed(what, field_errors=errors)
    if (starts_at, duration_minutes, mode, place) == (
        miam.starts_at,
        miam.duration_minutes,
        miam.mode,
        miam.place,
    ):
        raise ValidationFailed(
            what, field_errors={"__all__": ["Nothing has changed: change the time or place."]}
        )
    people = list(miam.attendees.all())
    confirmed = confirm_booking_warnings(
        organisation=case.organisation,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=duration_minutes),
        staff_ids=[miam.mediator_id],
        people=people,
        confirm=confirm_warnings,
        reason=confirm_reason,
        what=what,
        ignore_key=f"miam.{miam.pk}",
    )
    before = appointment_reschedule(
        miam, starts_at=starts_at, duration_minutes=duration_minutes, mode=mode, place=place
    )
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="miam.moved",
        target=miam,
        case_id=case.pk,
        details={
            "miam_id": miam.pk,
            "from": before.isoformat(),
            "starts_at": starts_at.isoformat(),
            "mode": mode,
            "sequence": miam.sequence,
        },
    )
    audit_warnings_confirmed(actor, case, miam, confirmed, confirm_reason)
    _email_attendees(miam, kind="moved", actor=actor)
    return miam


@transaction.atomic
def miam_cancel(*, actor: Any, miam: Miam, reason: str) -> Miam:
    """Cancel a booked MIAM with a reason (kept for the team), and tell those attending.

    The email says only that the MIAM on that date is cancelled: never the reason, which may
    name people or touch on screening.
    """
    miam = _locked(miam)
    case = locked_case(actor, miam.case, "change")
    what = "The MIAM could not be cancelled."
    _still_booked(miam, what)
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise ValidationFailed(what, field_errors={"reason": ["Say why the MIAM is cancelled."]})
    if len(reason) > REASON_LIMIT:
        raise ValidationFailed(
            what, field_errors={"reason": [f"Keep the reason to {REASON_LIMIT:,} characters."]}
        )
    miam.status = MiamStatus.CANCELLED
    miam.cancelled_at = timezone.now()
    miam.cancel_reason = reason
    miam.sequence += 1
    miam.save(update_fields=["status", "cancelled_at", "cancel_reason", "sequence", "updated_at"])
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="miam.cancelled",
        target=miam,
        case_id=case.pk,
        # The reason may name people: it stays on the MIAM, out of the trail.
        details={"miam_id": miam.pk, "starts_at": miam.starts_at.isoformat()},
    )
    _email_attendees(miam, kind="cancelled", actor=actor)
    return miam


@transaction.atomic
def miam_mark_did_not_attend(
    *, actor: Any, miam: Miam, absent: Sequence[Participant] | None = None
) -> Miam:
    """Record that a MIAM did not take place because the party (or, if joint, the parties named
    in `absent`) did not come. Only once its start time has passed."""
    miam = _locked(miam)
    case = locked_case(actor, miam.case, "change")
    what = "The MIAM could not be marked as not attended."
    _still_booked(miam, what)
    attendees = list(miam.attendees.all())
    missing = attendees if absent is None else list(absent)
    errors: dict[str, list[str]] = {}
    if miam.starts_at > timezone.now():
        errors["__all__"] = ["A MIAM can be marked as not attended only once it was due to start."]
    if not missing:
        errors["absent"] = ["Choose who did not attend."]
    elif any(p.pk not in {a.pk for a in attendees} for p in missing):
        errors["absent"] = ["Choose people booked for this MIAM only."]
    if errors:
        raise ValidationFailed(what, field_errors=errors)
    miam.status = MiamStatus.DID_NOT_ATTEND
    miam.save(update_fields=["status", "updated_at"])
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="miam.did_not_attend",
        target=miam,
        case_id=case.pk,
        details={"miam_id": miam.pk, "attendee_ids": sorted(p.pk for p in missing)},
    )
    return miam


# The calendar file


def miam_ics(miam: Miam) -> str:
    """The MIAM's iCalendar file: the same UID for its whole life, SEQUENCE up on each change."""
    from accord.deadlines.conf import message_id_domain

    return ics_text(
        CalendarEntry(
            uid=f"accord-miam-{miam.pk}@{message_id_domain()}",
            sequence=miam.sequence,
            title=f"MIAM with {miam.organisation.name}",
            starts_at=miam.starts_at,
            ends_at=miam.ends_at,
            location=miam.place,
            description=f"{miam.get_mode_display()}: {miam.place}",
            url=miam.video_url,
            cancelled=miam.status == MiamStatus.CANCELLED,
        )
    )


# Dropping stale emails at delivery (registered in MeetingsConfig.ready)


def relevance_ref(miam: Miam, kind: str) -> str:
    """What the delivery check is asked about: which MIAM, which email, which version of it."""
    return f"{miam.pk}.{kind}.{miam.sequence}"


def miam_email_still_relevant(ref: str) -> str:
    """Why a MIAM email should no longer go out, or "" to send it."""
    try:
        pk, kind, sequence = ref.split(".")
        miam = Miam.objects.get(pk=int(pk))
    except (ValueError, Miam.DoesNotExist):
        return "The MIAM no longer exists."
    if kind == "cancelled":
        return ""
    if miam.status != MiamStatus.BOOKED:
        return f"The MIAM is now “{miam.get_status_display()}”."
    if miam.sequence != int(sequence):
        return "The MIAM was moved after this email was written."
    if miam.starts_at <= timezone.now():
        return "The MIAM has already started."
    return ""


# The diary (registered in MeetingsConfig.ready)


def miam_appointments(
    organisation_id: int, start: dt.datetime, end: dt.datetime
) -> Iterable[Appointment]:
    """Booked MIAMs of a service that start in [start, end)."""
    from accord.cases.workspace import section_url

    miams = (
        Miam.objects.filter(
            organisation_id=organisation_id,
            status=MiamStatus.BOOKED,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .select_related("case")
        .prefetch_related("attendees")
    )
    for miam in miams:
        people = list(miam.attendees.all())
        yield Appointment(
            kind="miam",
            key=f"miam.{miam.pk}",
            case_id=miam.case_id,
            case_reference=miam.case.reference,
            title="MIAM",
            starts_at=miam.starts_at,
            ends_at=miam.ends_at,
            location="" if miam.mode == MeetingMode.VIDEO else miam.place,
            video_url=miam.video_url,
            staff_ids=frozenset({miam.mediator_id}),
            participant_ids=frozenset(p.pk for p in people),
            person_user_ids=frozenset(p.user_id for p in people if p.user_id),
            url=section_url(miam.case, "preparation", f"miam-{miam.pk}"),
        )
