"""Every change to mediation sessions and to the mediation's status: checked, audited, atomic.

Sessions are booked (with a confirmation email), started (only once everyone required has
signed the Agreement to Mediate, and never while the case is paused), recorded and noted.
The mediator may pause, end or reopen the mediation; ending or reopening moves the case to the
matching stage of its workflow when the workflow has one. See docs/sessions.md.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases import policy as case_policy
from accord.cases.models import Case, Participant
from accord.cases.progress import case_advance
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.mediation.hooks import run_session_checks, run_session_ended
from accord.mediation.models import (
    AGREED,
    FULL_RULES,
    MAX_MINUTES,
    MIN_MINUTES,
    AttendanceStatus,
    EndReason,
    MediationSession,
    MediationState,
    MediationStatus,
    MediationStatusEvent,
    NoteKind,
    OpeningAccount,
    SessionAttendance,
    SessionFormat,
    SessionNote,
    SessionOpening,
    SessionStatus,
)
from accord.mediation.suitability import ensure_session_allowed
from accord.meetings.models import MeetingMode
from accord.meetings.services.common import appointment_reschedule
from accord.organisations.models import Role
from accord.organisations.selectors import roles_in

logger = logging.getLogger(__name__)

RESTRICTED = "restricted"
TEXT_LIMIT = 5000
REASON_LIMIT = 2000
#: A session may be started this long before its booked time (people arrive early).
EARLY_START = dt.timedelta(minutes=30)
#: Reminders go out once, about this long before a session.
REMINDER_LEAD = dt.timedelta(hours=48)
LONDON = "Europe/London"


# Checks shared by the services below


def _case_for(actor: Any, case: Case, action: str = "change") -> Case:
    """The case, row-locked; 404 if the actor cannot see it, 403 if they may not act on it."""
    from accord.cases.services import case_locked_for

    return case_locked_for(
        actor=actor,
        case=case,
        action=action,
        refusal="You do not have permission to arrange sessions on this case.",
    )


def is_case_mediator(user: Any, case: Case) -> bool:
    """Whether the user is the case's lead or co-mediator (who run the mediation)."""
    uid = getattr(user, "pk", None)
    return uid is not None and uid in (case.lead_mediator_id, case.co_mediator_id)


def _mediator_case(actor: Any, case: Case, what: str) -> Case:
    """The case, locked, if the actor is its lead or co-mediator; 404/403 otherwise."""
    case = _case_for(actor, case, "view_workspace")
    if not (is_case_mediator(actor, case) and case_policy.can(actor, "change", case)):
        raise NotPermitted(f"Only the case's mediator can {what}.")
    return case


def _locked_session(session: MediationSession) -> MediationSession:
    try:
        return MediationSession.objects.select_for_update().get(pk=session.pk)
    except MediationSession.DoesNotExist:
        raise NotFoundOrHidden("No such session.") from None


def _session_mediator(actor: Any, session: MediationSession, what: str) -> Case:
    """The session's case, locked, if the actor is a case mediator or runs this session."""
    case = _case_for(actor, session.case, "view_workspace")
    runs_it = session.mediators.filter(pk=getattr(actor, "pk", None)).exists()
    if not ((is_case_mediator(actor, case) or runs_it) and case_policy.can(actor, "change", case)):
        raise NotPermitted(f"Only the session's mediator can {what}.")
    return case


def _aware(value: Any) -> bool:
    return isinstance(value, dt.datetime) and value.utcoffset() is not None


def _text(
    errors: dict[str, list[str]],
    name: str,
    value: Any,
    *,
    missing: str,
    limit: int = TEXT_LIMIT,
) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        errors[name] = [missing]
    elif len(text) > limit:
        errors[name] = [f"This must be {limit:,} characters or fewer."]
    return text


def status_of(case: Case) -> MediationStatus:
    """The case's mediation status row, created as active the first time it is needed.

    Callers lock the case first, so two requests cannot both create it.
    """
    status, _ = MediationStatus.objects.get_or_create(
        case=case, defaults={"organisation_id": case.organisation_id}
    )
    return status


def _ensure_not_paused(case: Case, doing: str) -> None:
    from accord.safeguarding.services import ensure_case_not_paused

    ensure_case_not_paused(case, doing=doing)


# Emails: date, time, format and place only; never names, notes or anything from the case.


def _when(session: MediationSession) -> str:
    from zoneinfo import ZoneInfo

    local = session.starts_at.astimezone(ZoneInfo(LONDON))
    return f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M} (UK time)"


def _session_email_body(session: MediationSession, opening: str) -> str:
    from accord.deadlines.conf import site_url

    base = site_url()
    link = f"{base}/portal/" if base else "the Accord portal"
    return (
        f"{opening}\n\n"
        f"When: {_when(session)}, for about {session.duration_minutes} minutes\n"
        f"Format: {session.get_format_display()}\n"
        f"How: {session.get_mode_display()}: {session.place}\n\n"
        f"Sign in to {link} to see your sessions.\n"
    )


def _email_attendees(session: MediationSession, *, kind: str, subject: str, opening: str) -> int:
    """Queue one email per attendee who may be emailed; returns how many were new."""
    from accord.deadlines.outbox import email_enqueue

    stamp = int(session.starts_at.timestamp())
    sent = 0
    calendar_file = ("session.ics", "text/calendar; charset=utf-8", session_ics(session))
    body = (
        f"{opening}\n\nPlease contact the service if you have any questions.\n"
        if kind == "cancelled"
        else _session_email_body(session, opening)
    )
    for person in session.attendees.all():
        if not person.can_be_emailed:
            continue
        key = f"mediation.session.{session.pk}.{kind}.{person.pk}.{stamp}"
        if kind == "cancelled":
            key += f".s{session.sequence}"
        _, created = email_enqueue(
            organisation_id=session.organisation_id,
            key=key,
            to_email=person.email,
            subject=subject,
            body=body,
            # Dropped at delivery if the session has since moved, been held or cancelled.
            still_relevant=("session", f"{session.pk}.{kind}.{session.sequence}"),
            attachment=calendar_file,
        )
        sent += int(created)
    return sent


# Sessions


@transaction.atomic
def session_book(
    *,
    actor: Any,
    case: Case,
    format: str,
    starts_at: dt.datetime,
    mode: str,
    place: str,
    attendees: Sequence[Participant],
    mediators: Sequence[Any],
    duration_minutes: int = 120,
    confirm_warnings: bool | None = None,
    confirm_reason: str = "",
) -> MediationSession:
    """Book a joint or shuttle session, and email each attendee a confirmation they may get.

    Clashes, weekends, bank holidays and closures are refused until confirmed (see
    `accord.meetings.services.miams.confirm_booking_warnings`; None skips the check).
    """
    from accord.meetings.services.miams import (
        audit_warnings_confirmed,
        confirm_booking_warnings,
    )

    case = _case_for(actor, case, "change")
    _ensure_not_paused(case, "booking a session")
    errors: dict[str, list[str]] = {}
    if case.is_closed:
        errors["__all__"] = ["The case is closed, so no session can be booked."]
    elif status_of(case).state == MediationState.ENDED:
        errors["__all__"] = ["The mediation has ended: reopen it before booking a session."]
    if format not in SessionFormat.values:
        errors["format"] = ["Choose a joint or a shuttle session."]
    elif not errors:
        # The safety gate: suitability decision, MIAMs held, no stricter screening pending.
        ensure_session_allowed(case, format)
    people = list(attendees)
    if not people:
        errors["attendees"] = ["Choose who attends."]
    elif any(p.case_id != case.pk for p in people):
        errors["attendees"] = ["Choose participants of this case only."]
    elif len({p.pk for p in people}) != len(people):
        errors["attendees"] = ["Choose each person only once."]
    elif not any(p.is_party for p in people):
        errors["attendees"] = ["Choose at least one party."]
    team = list(mediators)
    case_mediators = {case.lead_mediator_id, case.co_mediator_id} - {None}
    if not team:
        errors["mediators"] = ["Choose the mediator."]
    elif len({m.pk for m in team}) != len(team):
        errors["mediators"] = ["Choose each mediator only once."]
    elif any(
        m.pk not in case_mediators
        or not m.is_active
        or Role.MEDIATOR not in roles_in(m, case.organisation_id)
        for m in team
    ):
        # Only the case's own mediators can open its workspace to run the session.
        errors["mediators"] = ["Choose the case's lead or co-mediator."]
    if not _aware(starts_at):
        errors["starts_at"] = ["Enter when the session starts, as a date and time."]
    elif starts_at <= timezone.now():
        errors["starts_at"] = ["The session must start in the future."]
    if isinstance(duration_minutes, bool) or not isinstance(duration_minutes, int):
        errors["duration_minutes"] = ["Enter the length of the session in minutes."]
    elif not MIN_MINUTES <= duration_minutes <= MAX_MINUTES:
        errors["duration_minutes"] = [
            f"A session lasts between {MIN_MINUTES} and {MAX_MINUTES} minutes."
        ]
    if mode not in MeetingMode.values:
        errors["mode"] = ["Choose in person, video call or phone call."]
    place = _text(
        errors, "place", place, missing="Enter the place, the video link or the number to call."
    )
    if "place" not in errors and len(place) > 500:
        errors["place"] = ["The place or link must be 500 characters or fewer."]
    if errors:
        raise ValidationFailed("The session could not be booked.", field_errors=errors)
    run_session_checks(case, "book", starts_at)
    confirmed = confirm_booking_warnings(
        organisation=case.organisation,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=duration_minutes),
        staff_ids=[m.pk for m in team],
        people=people,
        confirm=confirm_warnings,
        reason=confirm_reason,
        what="The session could not be booked.",
    )
    session = MediationSession.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        format=format,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        mode=mode,
        place=place,
        booked_by=actor,
    )
    session.attendees.set(people)
    session.mediators.set(team)
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="mediation.session_booked",
        target=session,
        case_id=case.pk,
        details={
            "session_id": session.pk,
            "format": format,
            "starts_at": starts_at.isoformat(),
            "mode": mode,
            "attendee_ids": sorted(p.pk for p in people),
            "mediator_ids": sorted(m.pk for m in team),
        },
    )
    audit_warnings_confirmed(actor, case, session, confirmed, confirm_reason)
    _email_attendees(
        session,
        kind="booked",
        subject="Your mediation session is booked",
        opening="A mediation session has been booked for you.",
    )
    case_advance(actor=actor, case=case, event="session_booked")
    return session


@transaction.atomic
def session_cancel(
    *, actor: Any, session: MediationSession, reason: str, did_not_attend: bool = False
) -> MediationSession:
    """Cancel a booked session, or record that it did not go ahead because someone did not come."""
    session = _locked_session(session)
    case = _case_for(actor, session.case, "change")
    errors: dict[str, list[str]] = {}
    if session.status != SessionStatus.BOOKED:
        errors["__all__"] = [f"This session is already “{session.get_status_display()}”."]
    elif did_not_attend and session.starts_at > timezone.now():
        errors["__all__"] = [
            "A session can be recorded as not attended only once it was due to start; "
            "to call it off before then, cancel it."
        ]
    reason = _text(
        errors,
        "reason",
        reason,
        missing="Say why the session is not going ahead.",
        limit=REASON_LIMIT,
    )
    if errors:
        raise ValidationFailed("The session could not be cancelled.", field_errors=errors)
    session.status = SessionStatus.DID_NOT_ATTEND if did_not_attend else SessionStatus.CANCELLED
    session.cancelled_at = timezone.now()
    session.cancel_reason = reason
    session.sequence += 1
    session.save(
        update_fields=["status", "cancelled_at", "cancel_reason", "sequence", "updated_at"]
    )
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="mediation.session_cancelled",
        target=session,
        case_id=case.pk,
        # The reason may name people or what they said: it stays out of the trail.
        details={"session_id": session.pk, "status": session.status},
    )
    if not did_not_attend:
        # Told that it is cancelled, never why.
        _email_attendees(
            session,
            kind="cancelled",
            subject="Your mediation session is cancelled",
            opening=f"Your mediation session on {_when(session)} has been cancelled.",
        )
    return session


@transaction.atomic
def session_move(
    *,
    actor: Any,
    session: MediationSession,
    starts_at: dt.datetime,
    duration_minutes: int,
    mode: str,
    place: str,
    confirm_warnings: bool | None = None,
    confirm_reason: str = "",
) -> MediationSession:
    """Move a booked session to a new time, place or way of meeting, and tell the attendees."""
    from accord.meetings.services.miams import (
        audit_warnings_confirmed,
        confirm_booking_warnings,
    )

    session = _locked_session(session)
    case = _case_for(actor, session.case, "change")
    what = "The session could not be moved."
    errors: dict[str, list[str]] = {}
    if session.status != SessionStatus.BOOKED:
        errors["__all__"] = [f"This session is already “{session.get_status_display()}”."]
    if not _aware(starts_at):
        errors["starts_at"] = ["Enter the new date and time."]
    elif starts_at <= timezone.now():
        errors["starts_at"] = ["The new time must be in the future."]
    if isinstance(duration_minutes, bool) or not isinstance(duration_minutes, int):
        errors["duration_minutes"] = ["Enter the length of the session in minutes."]
    elif not MIN_MINUTES <= duration_minutes <= MAX_MINUTES:
        errors["duration_minutes"] = [
            f"A session lasts between {MIN_MINUTES} and {MAX_MINUTES} minutes."
        ]
    if mode not in MeetingMode.values:
        errors["mode"] = ["Choose in person, video call or phone call."]
    place = _text(
        errors, "place", place, missing="Enter the place, the video link or the number to call."
    )
    if "place" not in errors and len(place) > 500:
        errors["place"] = ["The place or link must be 500 characters or fewer."]
    if errors:
        raise ValidationFailed(what, field_errors=errors)
    run_session_checks(case, "move", starts_at)
    confirmed = confirm_booking_warnings(
        organisation=case.organisation,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=duration_minutes),
        staff_ids=list(session.mediators.values_list("pk", flat=True)),
        people=list(session.attendees.all()),
        confirm=confirm_warnings,
        reason=confirm_reason,
        what=what,
        ignore_key=f"session.{session.pk}",
    )
    before = appointment_reschedule(
        session, starts_at=starts_at, duration_minutes=duration_minutes, mode=mode, place=place
    )
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="mediation.session_moved",
        target=session,
        case_id=case.pk,
        details={
            "session_id": session.pk,
            "from": before.isoformat(),
            "starts_at": starts_at.isoformat(),
            "mode": mode,
            "sequence": session.sequence,
        },
    )
    audit_warnings_confirmed(actor, case, session, confirmed, confirm_reason)
    _email_attendees(
        session,
        kind="moved",
        subject="Your mediation session has moved",
        opening="Your mediation session has been moved. The new details are below.",
    )
    return session


def session_ics(session: MediationSession) -> str:
    """The session's iCalendar file: one UID for its life, SEQUENCE up on each change."""
    from accord.deadlines.conf import message_id_domain
    from accord.meetings.ics import CalendarEntry, ics_text
    from accord.meetings.models import link_or_blank

    return ics_text(
        CalendarEntry(
            uid=f"accord-session-{session.pk}@{message_id_domain()}",
            sequence=session.sequence,
            title=f"Mediation session with {session.organisation.name}",
            starts_at=session.starts_at,
            ends_at=session.starts_at + dt.timedelta(minutes=session.duration_minutes),
            location=session.place,
            description=f"{session.get_mode_display()}: {session.place}",
            url=link_or_blank(session.place) if session.mode == MeetingMode.VIDEO else "",
            cancelled=session.status == SessionStatus.CANCELLED,
        )
    )


def session_appointments(organisation_id: int, start: dt.datetime, end: dt.datetime) -> list[Any]:
    """Booked sessions of a service that start in [start, end), for the diary and clash checks."""
    from django.urls import reverse

    from accord.meetings.appointments import Appointment
    from accord.meetings.models import link_or_blank

    found = []
    sessions = (
        MediationSession.objects.filter(
            organisation_id=organisation_id,
            status=SessionStatus.BOOKED,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .select_related("case")
        .prefetch_related("attendees", "mediators")
    )
    for session in sessions:
        people = list(session.attendees.all())
        video = session.mode == MeetingMode.VIDEO
        found.append(
            Appointment(
                kind="session",
                key=f"session.{session.pk}",
                case_id=session.case_id,
                case_reference=session.case.reference,
                title=f"{session.get_format_display()} session",
                starts_at=session.starts_at,
                ends_at=session.starts_at + dt.timedelta(minutes=session.duration_minutes),
                location="" if video else session.place,
                video_url=link_or_blank(session.place) if video else "",
                staff_ids=frozenset(m.pk for m in session.mediators.all()),
                participant_ids=frozenset(p.pk for p in people),
                person_user_ids=frozenset(p.user_id for p in people if p.user_id),
                url=reverse(
                    "mediation:session",
                    kwargs={"case_pk": session.case_id, "session_pk": session.pk},
                ),
            )
        )
    return found


def session_email_still_relevant(ref: str) -> str:
    """Why a session email should no longer go out (moved, held, cancelled), or "" to send it."""
    try:
        pk, kind, sequence = ref.split(".")
        session = MediationSession.objects.get(pk=int(pk))
    except (ValueError, MediationSession.DoesNotExist):
        return "The session no longer exists."
    if kind == "cancelled":
        return ""
    if session.status != SessionStatus.BOOKED:
        return f"The session is now “{session.get_status_display()}”."
    if session.sequence != int(sequence):
        return "The session was moved after this email was written."
    if session.starts_at <= timezone.now():
        return "The session has already started."
    return ""


@transaction.atomic
def session_start(
    *,
    actor: Any,
    session: MediationSession,
    ground_rules_restated: bool,
    questions_invited: bool,
    full_rules: Sequence[str] = (),
    opening_accounts: Mapping[int, str] | None = None,
) -> MediationSession:
    """Start a session: everyone required has signed, the case is not paused, and the opening
    (rules restated, questions invited; at the first session the full rules and each party's
    opening account) is recorded."""
    from accord.agreements.gate import ensure_agreement_signed

    session = _locked_session(session)
    case = _session_mediator(actor, session, "start it")
    _ensure_not_paused(case, "starting a session")
    if case.is_closed:
        # A safeguarding decision to end the mediation closes the case without passing here.
        raise ValidationFailed("The case is closed, so no session can start.")
    status = status_of(case)
    if status.state != MediationState.ACTIVE:
        raise ValidationFailed(
            f"The mediation is {status.get_state_display().lower()}: "
            "reopen it before starting a session."
        )
    if session.status != SessionStatus.BOOKED:
        raise ValidationFailed(f"This session is already “{session.get_status_display()}”.")
    now = timezone.now()
    if session.starts_at - EARLY_START > now:
        raise ValidationFailed("A session can be started only from 30 minutes before its time.")
    if case.mediation_sessions.filter(status=SessionStatus.IN_PROGRESS).exists():
        raise ValidationFailed("Another session of this case is in progress: end it first.")
    ensure_session_allowed(case, session.format)
    ensure_agreement_signed(case)
    run_session_checks(case, "start", session.starts_at)
    held_before = case.mediation_sessions.filter(number__isnull=False).count()
    number = held_before + 1
    errors: dict[str, list[str]] = {}
    if ground_rules_restated is not True:
        errors["ground_rules_restated"] = ["Restate the ground rules before the session starts."]
    if questions_invited is not True:
        errors["questions_invited"] = ["Ask whether anyone has questions before starting."]
    known = {name for name, _ in FULL_RULES}
    ticked = set(full_rules)
    if ticked - known:
        errors["full_rules"] = ["Choose rules from the list only."]
    accounts = dict(opening_accounts or {})
    parties = [p for p in session.attendees.all() if p.is_party]
    clean_accounts: dict[int, str] = {}
    if number == 1:
        if ticked != known:
            errors["full_rules"] = ["At the first session, go through every ground rule in full."]
        for party in parties:
            clean_accounts[party.pk] = _text(
                errors,
                f"account_{party.pk}",
                accounts.get(party.pk, ""),
                missing="Record this party's opening account.",
            )
        if set(accounts) - {p.pk for p in parties}:
            errors["__all__"] = ["Record opening accounts only for parties attending."]
    elif accounts:
        errors["__all__"] = ["Opening accounts are recorded at the first session only."]
    if errors:
        raise ValidationFailed("The session could not be started.", field_errors=errors)
    SessionOpening.objects.create(
        session=session,
        ground_rules_restated=True,
        questions_invited=True,
        recorded_by=actor,
        **{name: name in ticked for name in known},
    )
    for pid, text in clean_accounts.items():
        OpeningAccount.objects.create(session=session, participant_id=pid, text=text)
    session.number = number
    session.status = SessionStatus.IN_PROGRESS
    session.started_at = now
    session.save(update_fields=["number", "status", "started_at", "updated_at"])
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="mediation.session_started",
        target=session,
        case_id=case.pk,
        details={
            "session_id": session.pk,
            "number": number,
            "full_rules": sorted(ticked),
            "opening_accounts_for": sorted(clean_accounts),
        },
    )
    case_advance(actor=actor, case=case, event="session_started")
    return session


@transaction.atomic
def session_record_attendance(
    *, actor: Any, session: MediationSession, attendance: Mapping[int, str]
) -> MediationSession:
    """Record, for every expected attendee, whether they attended, came late or left early."""
    session = _locked_session(session)
    case = _session_mediator(actor, session, "record attendance")
    if session.status not in (SessionStatus.IN_PROGRESS, SessionStatus.HELD):
        raise ValidationFailed("Attendance is recorded once the session has started.")
    expected = {p.pk for p in session.attendees.all()}
    errors: dict[str, list[str]] = {}
    for pid in expected:
        if attendance.get(pid) not in AttendanceStatus.values:
            errors[f"attendance_{pid}"] = ["Say whether this person attended."]
    if set(attendance) - expected:
        errors["__all__"] = ["Record attendance only for the people booked."]
    if errors:
        raise ValidationFailed("The attendance could not be recorded.", field_errors=errors)
    for pid in sorted(expected):
        SessionAttendance.objects.update_or_create(
            session=session, participant_id=pid, defaults={"status": attendance[pid]}
        )
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="mediation.attendance_recorded",
        target=session,
        case_id=case.pk,
        details={"session_id": session.pk, "attendance": {str(k): attendance[k] for k in expected}},
    )
    return session


@transaction.atomic
def session_end(*, actor: Any, session: MediationSession) -> MediationSession:
    """Record that a session in progress has finished (attendance must be recorded first)."""
    session = _locked_session(session)
    case = _session_mediator(actor, session, "end it")
    if session.status != SessionStatus.IN_PROGRESS:
        raise ValidationFailed("Only a session in progress can be ended.")
    recorded = set(session.attendance.values_list("participant_id", flat=True))
    if {p.pk for p in session.attendees.all()} - recorded:
        raise ValidationFailed("Record who attended before ending the session.")
    session.status = SessionStatus.HELD
    session.ended_at = timezone.now()
    session.save(update_fields=["status", "ended_at", "updated_at"])
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="mediation.session_held",
        target=session,
        case_id=case.pk,
        details={"session_id": session.pk, "number": session.number},
    )
    run_session_ended(actor, session)
    return session


@transaction.atomic
def session_note_add(*, actor: Any, session: MediationSession, kind: str, text: str) -> SessionNote:
    """Add a note to a started session: private to the mediators, or a shared summary."""
    session = _locked_session(session)
    case = _session_mediator(actor, session, "write its notes")
    errors: dict[str, list[str]] = {}
    if session.status not in (SessionStatus.IN_PROGRESS, SessionStatus.HELD):
        errors["__all__"] = ["Notes are written once the session has started."]
    if kind not in NoteKind.values:
        errors["kind"] = ["Choose a private note or a shared summary."]
    text = _text(errors, "text", text, missing="Write the note.")
    if errors:
        raise ValidationFailed("The note could not be saved.", field_errors=errors)
    note = SessionNote.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        session=session,
        kind=kind,
        text=text,
        author=actor,
    )
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="mediation.note_added",
        target=note,
        case_id=case.pk,
        details={"session_id": session.pk, "kind": kind},
        visibility=RESTRICTED if kind == NoteKind.PRIVATE else "case",
    )
    return note


# The mediation's status: pause, end, reopen


_STATUS_ACTIONS: dict[str, str] = {
    MediationState.PAUSED: "mediation.paused",
    MediationState.ENDED: "mediation.ended",
    MediationState.ACTIVE: "mediation.reopened",
}


def _record_status_change(
    *,
    actor: Any,
    case: Case,
    status: MediationStatus,
    to_state: str,
    reason: str,
    end_reason: str = "",
) -> MediationStatusEvent:
    now = timezone.now()
    event = MediationStatusEvent.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        from_state=status.state,
        to_state=to_state,
        end_reason=end_reason,
        reason=reason,
        actor=actor,
        at=now,
    )
    status.state = to_state
    status.end_reason = end_reason
    status.ended_at = now if to_state == MediationState.ENDED else None
    status.changed_at = now
    status.save(update_fields=["state", "end_reason", "ended_at", "changed_at", "updated_at"])
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action=_STATUS_ACTIONS[to_state],
        target=status,
        case_id=case.pk,
        # Reasons are for the case team only; the trail records what changed.
        details={"from": event.from_state, "to": to_state, "end_reason": end_reason},
    )
    return event


def _move_case(actor: Any, case: Case, to_stage: str, why: str) -> None:
    """Move the case to the stage if its workflow allows the move from where it is now."""
    from accord.cases.services import case_change_stage

    workflow = case.workflow
    if workflow.has_stage(to_stage) and workflow.allows(case.stage, to_stage):
        case_change_stage(actor=actor, case=case, to_stage=to_stage, reason=why)


def stage_after_end(case: Case, end_reason: str) -> str:
    """The stage a case moves to when its mediation ends for this reason."""
    if end_reason in AGREED:
        return "outcome"
    # SEND: without agreement the family still gets a certificate to appeal.
    if case.workflow.has_stage("certificate"):
        return "certificate"
    return "closed"


@transaction.atomic
def mediation_pause(*, actor: Any, case: Case, reason: str) -> MediationStatus:
    """Pause an active mediation: no session may start until it is reopened."""
    case = _mediator_case(actor, case, "pause the mediation")
    status = status_of(case)
    errors: dict[str, list[str]] = {}
    if status.state != MediationState.ACTIVE:
        errors["__all__"] = [f"The mediation is already {status.get_state_display().lower()}."]
    reason = _text(
        errors, "reason", reason, missing="Say why the mediation is paused.", limit=REASON_LIMIT
    )
    if errors:
        raise ValidationFailed("The mediation could not be paused.", field_errors=errors)
    _record_status_change(
        actor=actor, case=case, status=status, to_state=MediationState.PAUSED, reason=reason
    )
    return status


@transaction.atomic
def mediation_end(*, actor: Any, case: Case, reason: str, note: str) -> MediationStatus:
    """End the mediation for a reason; the case moves to its outcome stage or closes."""
    case = _mediator_case(actor, case, "end the mediation")
    status = status_of(case)
    errors: dict[str, list[str]] = {}
    if status.state == MediationState.ENDED:
        errors["__all__"] = ["The mediation has already ended."]
    elif case.mediation_sessions.filter(status=SessionStatus.IN_PROGRESS).exists():
        errors["__all__"] = ["A session is in progress: end it first."]
    if reason not in EndReason.values:
        errors["reason"] = ["Choose why the mediation is ending."]
    note = _text(
        errors, "note", note, missing="Add a short note on how it ended.", limit=REASON_LIMIT
    )
    if errors:
        raise ValidationFailed("The mediation could not be ended.", field_errors=errors)
    if reason in AGREED:
        # Outcome documents are not issued while a safeguarding investigation is open.
        _ensure_not_paused(case, "recording an agreement")
    _record_status_change(
        actor=actor,
        case=case,
        status=status,
        to_state=MediationState.ENDED,
        reason=note,
        end_reason=reason,
    )
    label = EndReason(reason).label
    _move_case(actor, case, stage_after_end(case, reason), f"Mediation ended: {label}.")
    booked = case.mediation_sessions.filter(status=SessionStatus.BOOKED)
    for session in booked.select_for_update():
        session.status = SessionStatus.CANCELLED
        session.cancelled_at = timezone.now()
        session.save(update_fields=["status", "cancelled_at", "updated_at"])
        audit_record(
            organisation_id=case.organisation_id,
            actor=actor,
            action="mediation.session_cancelled",
            target=session,
            case_id=case.pk,
            details={"session_id": session.pk, "status": session.status, "because": "ended"},
        )
    return status


@transaction.atomic
def mediation_reopen(*, actor: Any, case: Case, reason: str) -> MediationStatus:
    """Reopen a paused or ended mediation; an ended one moves the case back to its sessions."""
    case = _mediator_case(actor, case, "reopen the mediation")
    status = status_of(case)
    errors: dict[str, list[str]] = {}
    if status.state == MediationState.ACTIVE:
        errors["__all__"] = ["The mediation is not paused or ended."]
    reason = _text(
        errors, "reason", reason, missing="Say why the mediation is reopened.", limit=REASON_LIMIT
    )
    if errors:
        raise ValidationFailed("The mediation could not be reopened.", field_errors=errors)
    was = status.state
    _record_status_change(
        actor=actor, case=case, status=status, to_state=MediationState.ACTIVE, reason=reason
    )
    if was == MediationState.ENDED:
        stage = "meeting" if case.workflow.has_stage("meeting") else "mediation"
        _move_case(actor, case, stage, "Mediation reopened.")
    return status


# Reminders (run by the worker every 30 seconds)


def session_reminders_send_due() -> int:
    """Email each attendee of a session starting within 48 hours, once per booked time.

    Idempotent and safe to run twice at once: each session is handled in its own transaction
    with its row locked (another worker skips it), and each email's key names the session, the
    person and the booked start, so the outbox writes it once and a moved time reminds again.
    """
    now = timezone.now()
    due = MediationSession.objects.filter(
        status=SessionStatus.BOOKED, starts_at__gt=now, starts_at__lte=now + REMINDER_LEAD
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        try:
            sent += _remind(pk, now)
        except Exception:  # one bad row must not stop the sweep; it is retried next time
            logger.exception("Could not queue reminders for mediation session %s", pk)
    return sent


@transaction.atomic
def _remind(pk: int, now: dt.datetime) -> int:
    session = (
        MediationSession.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("case")
        .filter(
            pk=pk,
            status=SessionStatus.BOOKED,
            starts_at__gt=now,
            starts_at__lte=now + REMINDER_LEAD,
        )
        .first()
    )
    if session is None or session.case.is_paused:
        return 0
    return _email_attendees(
        session,
        kind="reminder",
        subject="Reminder: your mediation session",
        opening="This is a reminder of your mediation session.",
    )
