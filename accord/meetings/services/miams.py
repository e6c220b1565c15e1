"""MIAMs: booking, recording that one was held, and the emails to the people attending."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases import kinds
from accord.cases.models import Case, Participant, ParticipantRole
from accord.cases.progress import case_advance, ensure_part_applies
from accord.core.errors import NotFoundOrHidden, ValidationFailed
from accord.meetings.models import (
    CHECKLIST,
    MeetingMode,
    Miam,
    MiamStatus,
)
from accord.meetings.services.common import locked_case
from accord.organisations.models import Role
from accord.organisations.selectors import roles_in

MIAM_DEADLINE_RULE = "miam.within_15_business_days"
MIN_MINUTES, MAX_MINUTES = 5, 480


def _aware(value: Any) -> bool:
    return isinstance(value, dt.datetime) and value.utcoffset() is not None


def _ensure_miam_deadline(actor: Any, case: Case) -> None:
    """The first MIAM on a family case sets the 15-business-day target, once, from first contact."""
    from accord.deadlines.models import Deadline
    from accord.deadlines.services import deadline_create

    if not case.kind.startswith("family"):
        return
    if Deadline.objects.filter(case=case, rule_code=MIAM_DEADLINE_RULE).exists():
        return
    deadline_create(
        actor=actor,
        case=case,
        rule_code=MIAM_DEADLINE_RULE,
        start=case.opened_at,
        owner=case.lead_mediator or actor,
    )


def _team_problem(case: Case, mediator: Any, *, add_to_team: bool) -> str:
    """Why this mediator cannot be booked on the case, or ""."""
    if mediator.pk in {case.lead_mediator_id, case.co_mediator_id}:
        return ""
    if not add_to_team:
        return (
            f"{mediator} is not on this case's team. Tick “Add them to the case team” to add "
            "them, or choose a mediator on the team."
        )
    if case.lead_mediator_id and case.co_mediator_id:
        return (
            f"The case already has a lead and a co-mediator, so {mediator} cannot be added. "
            "Change the case team first."
        )
    return ""


def _add_to_team(actor: Any, case: Case, mediator: Any) -> Case:
    """Put the mediator on the team (as lead if there is none, else as co-mediator)."""
    from accord.cases.services import case_assign_team

    if case.lead_mediator_id:
        lead, co = case.lead_mediator, mediator
    else:
        lead, co = mediator, case.co_mediator
    return case_assign_team(
        actor=actor, case=case, lead_mediator=lead, co_mediator=co, supervisor=case.supervisor
    )


def confirm_booking_warnings(
    *,
    organisation: Any,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    staff_ids: Sequence[int],
    people: Sequence[Participant],
    confirm: bool | None,
    reason: str,
    what: str,
    ignore_key: str = "",
) -> list[str]:
    """The warnings about a time, refused until confirmed (a clash needs a reason too).

    `confirm=None` skips the check: for callers that are not a person at a form (the demo, an
    import, tests of other rules). Pages and the API always pass True or False. The staff's
    diaries stay locked until the caller's transaction ends (`staff_diaries_lock`), so the
    caller must save the appointment in the same transaction.
    """
    from accord.meetings.appointments import booking_warnings, staff_diaries_lock

    if confirm is None:
        return []
    staff_diaries_lock(staff_ids)
    warnings, clash = booking_warnings(
        organisation=organisation,
        starts_at=starts_at,
        ends_at=ends_at,
        staff_ids=staff_ids,
        participant_ids=[p.pk for p in people],
        person_user_ids=[p.user_id for p in people if p.user_id],
        ignore_key=ignore_key,
    )
    if not warnings:
        return []
    if not confirm:
        raise ValidationFailed(
            what,
            field_errors={
                "confirm_warnings": [
                    *warnings,
                    "Check these, then tick “Book anyway” to save."
                    + (" Give a reason for booking over a clash." if clash else ""),
                ]
            },
        )
    reason = reason.strip() if isinstance(reason, str) else ""
    if clash and not reason:
        raise ValidationFailed(
            what,
            field_errors={"confirm_reason": ["Say why you are booking over a clash."]},
        )
    if len(reason) > 500:
        raise ValidationFailed(
            what, field_errors={"confirm_reason": ["The reason must be 500 characters or fewer."]}
        )
    return warnings


def audit_warnings_confirmed(
    actor: Any, case: Case, target: Any, warnings: Sequence[str], reason: str
) -> None:
    """Record that someone booked despite warnings: the event says how many and whether a
    clash; the reason, free text that may name people, is kept on the appointment instead."""
    if not warnings:
        return
    reason = (reason or "").strip()[:500]
    if reason:
        target.warnings_reason = reason
        target.save(update_fields=["warnings_reason"])
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="appointment.warnings_confirmed",
        target=target,
        case_id=case.pk,
        details={
            "warning_count": len(warnings),
            "clash": any(w.startswith("Clash") for w in warnings),
            "with_reason": bool(reason),
        },
    )


@transaction.atomic
def miam_book(
    *,
    actor: Any,
    case: Case,
    attendees: Sequence[Participant],
    mediator: Any,
    starts_at: dt.datetime,
    mode: str,
    place: str,
    duration_minutes: int = 45,
    joint: bool = False,
    add_to_team: bool = False,
    confirm_warnings: bool | None = None,
    confirm_reason: str = "",
    already_held: bool = False,
    covered: Sequence[str] = (),
) -> Miam:
    """Book a MIAM for one party (or, on request, a joint MIAM for several) with a mediator.

    Only a mediator on the case team can be booked; with `add_to_team` one who is not is added
    first (as lead, or else as co-mediator). Clashes, weekends, bank holidays and closures are
    refused until confirmed (`confirm_warnings`, with `confirm_reason` for a clash; None skips
    the check, see `confirm_booking_warnings`). With
    `already_held` the MIAM took place before it was recorded: its date must be in the past, it
    is saved as held with the checklist `covered`, and nobody is emailed.
    """
    from accord.safeguarding.services import ensure_case_not_paused

    case = locked_case(actor, case, "change")
    ensure_part_applies(case, "miam")
    if not already_held:
        ensure_case_not_paused(case, doing="booking a MIAM")
    errors: dict[str, list[str]] = {}
    if case.is_closed:
        errors["__all__"] = ["The case is closed, so no MIAM can be booked."]
    people = list(attendees)
    if not people:
        errors["attendees"] = ["Choose who the MIAM is for."]
    elif any(p.case_id != case.pk or not p.is_party for p in people):
        errors["attendees"] = ["Choose parties of this case only."]
    elif len({p.pk for p in people}) != len(people):
        errors["attendees"] = ["Choose each party only once."]
    elif len(people) > 1 and joint is not True:
        # Separate MIAMs are the norm so each party can be screened in private.
        errors["attendees"] = [
            "Choose one party, or tick “Joint MIAM” if the parties have asked for one."
        ]
    if mediator is None or not getattr(mediator, "pk", None):
        errors["mediator"] = ["Choose the mediator."]
    elif not mediator.is_active or Role.MEDIATOR not in roles_in(mediator, case.organisation_id):
        errors["mediator"] = [f"{mediator} is not a mediator of this service."]
    else:
        team_error = _team_problem(case, mediator, add_to_team=add_to_team)
        if team_error:
            errors["mediator"] = [team_error]
    if not _aware(starts_at):
        errors["starts_at"] = ["Enter when the MIAM starts, as a date and time."]
    elif already_held and starts_at > timezone.now():
        errors["starts_at"] = ["A MIAM recorded after the fact must have started in the past."]
    elif not already_held and starts_at <= timezone.now():
        errors["starts_at"] = [
            "The MIAM must start in the future. To record one that already took place, "
            "use “Record a MIAM that already took place”."
        ]
    if already_held and any(item not in {n for n, _ in CHECKLIST} for item in covered):
        errors["covered"] = ["Choose items from the checklist only."]
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
        raise ValidationFailed("The MIAM could not be booked.", field_errors=errors)
    confirmed: list[str] = []
    if not already_held:
        confirmed = confirm_booking_warnings(
            organisation=case.organisation,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=duration_minutes),
            staff_ids=[mediator.pk],
            people=people,
            confirm=confirm_warnings,
            reason=confirm_reason,
            what="The MIAM could not be booked.",
        )
    if mediator.pk not in case.team_ids:
        case = _add_to_team(actor, case, mediator)
    ticked = set(covered) if already_held else set()
    miam = Miam.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        mediator=mediator,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        mode=mode,
        place=place,
        booked_by=actor,
        status=MiamStatus.HELD if already_held else MiamStatus.BOOKED,
        held_recorded_at=timezone.now() if already_held else None,
        recorded_after=already_held,
        **{name: name in ticked for name, _ in CHECKLIST},
    )
    miam.attendees.set(people)
    if already_held:
        audit_record(
            organisation_id=case.organisation_id,
            actor=actor,
            action="miam.recorded_after",
            target=miam,
            case_id=case.pk,
            details={
                "miam_id": miam.pk,
                "attendee_ids": sorted(p.pk for p in people),
                "mediator_id": mediator.pk,
                "starts_at": starts_at.isoformat(),
                "covered": sorted(ticked),
            },
        )
        _ensure_miam_deadline(actor, case)
        _meet_miam_deadline(actor, case, miam)
        case_advance(actor=actor, case=case, event="miam_booked")
        if not parties_without_held_miam(case):
            case_advance(actor=actor, case=case, event="miams_held")
        return miam
    audit_warnings_confirmed(actor, case, miam, confirmed, confirm_reason)
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="miam.booked",
        target=miam,
        case_id=case.pk,
        details={
            "miam_id": miam.pk,
            "attendee_ids": sorted(p.pk for p in people),
            "mediator_id": mediator.pk,
            "starts_at": starts_at.isoformat(),
            "mode": mode,
            "joint": len(people) > 1,
        },
    )
    _email_attendees(miam, kind="booked", actor=actor)
    _ensure_miam_deadline(actor, case)
    case_advance(actor=actor, case=case, event="miam_booked")
    return miam


@transaction.atomic
def miam_record_held(*, actor: Any, miam: Miam, covered: Sequence[str]) -> Miam:
    """Record that a MIAM took place and which checklist items the mediator covered."""
    try:
        miam = Miam.objects.select_for_update().get(pk=miam.pk)
    except Miam.DoesNotExist:
        raise NotFoundOrHidden("No such MIAM.") from None
    case = locked_case(actor, miam.case, "change")
    ensure_part_applies(case, "miam")
    known = {name for name, _ in CHECKLIST}
    errors: dict[str, list[str]] = {}
    if miam.status != MiamStatus.BOOKED:
        errors["__all__"] = [f"This MIAM is already marked “{miam.get_status_display()}”."]
    elif miam.starts_at > timezone.now():
        errors["__all__"] = ["A MIAM can be recorded as held only once it has started."]
    unknown = [item for item in covered if item not in known]
    if unknown:
        errors["covered"] = ["Choose items from the checklist only."]
    if errors:
        raise ValidationFailed("The MIAM could not be recorded as held.", field_errors=errors)
    ticked = set(covered)
    for name in known:
        setattr(miam, name, name in ticked)
    miam.status = MiamStatus.HELD
    miam.held_recorded_at = timezone.now()
    miam.save(update_fields=[*sorted(known), "status", "held_recorded_at", "updated_at"])
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="miam.held",
        target=miam,
        case_id=case.pk,
        details={"miam_id": miam.pk, "covered": sorted(ticked)},
    )
    _meet_miam_deadline(actor, case, miam)
    if not parties_without_held_miam(case):
        case_advance(actor=actor, case=case, event="miams_held")
    return miam


def _meet_miam_deadline(actor: Any, case: Case, miam: Miam) -> None:
    """The first MIAM held meets the case's MIAM target, saying so if it came after the date,
    so a case in sessions never shows its MIAM as overdue."""
    from accord.deadlines.models import Deadline, DeadlineStatus
    from accord.deadlines.services import deadline_meet

    deadline = Deadline.objects.filter(
        case=case, rule_code=MIAM_DEADLINE_RULE, status=DeadlineStatus.OPEN
    ).first()
    if deadline is None:
        return
    held = timezone.localtime(miam.starts_at)
    note = f"First MIAM held on {held:%-d %B %Y}"
    if miam.starts_at > deadline.due_at:
        note += ", after the target date"
    deadline_meet(actor=actor, deadline=deadline, note=note + ".")


def parties_without_held_miam(case: Case) -> list[Participant]:
    """The parties of a case who have not yet had a MIAM recorded as held, in case order."""
    held = set(
        Miam.objects.filter(case=case, status=MiamStatus.HELD).values_list(
            "attendees__id", flat=True
        )
    )
    return [
        person
        for person in Participant.objects.filter(case=case, role=ParticipantRole.PARTY)
        if person.pk not in held
    ]


# Emails to the people attending a MIAM: a confirmation on booking, a reminder before it.

REMINDER_WINDOW = dt.timedelta(hours=48)


def _miam_email(miam: Miam, organisation: Any, *, kind: str) -> tuple[str, str]:
    """The subject and body: when, how and where; nothing about the other party or screening."""
    from accord.calendar import to_london
    from accord.deadlines.conf import site_url

    local = to_london(miam.starts_at)
    day = f"{local:%A} {local.day} {local:%B %Y}"
    if kind == "booked":
        subject = f"Your appointment on {day} is booked"
        opening = "Your Mediation Information and Assessment Meeting (MIAM) has been booked."
    elif kind == "moved":
        subject = f"Your appointment has moved to {day}"
        opening = (
            "Your Mediation Information and Assessment Meeting (MIAM) has been moved. "
            "The new details are below; the earlier time no longer applies."
        )
    elif kind == "cancelled":
        subject = f"Your appointment on {day} is cancelled"
        contact = f" on {organisation.phone}" if organisation.phone else ""
        body = (
            "Hello,\n\nYour Mediation Information and Assessment Meeting (MIAM) on "
            f"{day} at {local:%H:%M} (UK time) has been cancelled.\n\n"
            f"Please contact {organisation.name}{contact} if you have any questions.\n"
        )
        return subject, body
    else:
        subject = f"Reminder: your appointment on {day}"
        opening = "This is a reminder of your Mediation Information and Assessment Meeting (MIAM)."
    where = {
        MeetingMode.IN_PERSON: "Place",
        MeetingMode.VIDEO: "Video link",
        MeetingMode.PHONE: "Phone number",
    }.get(MeetingMode(miam.mode), "Place")
    contact = f" on {organisation.phone}" if organisation.phone else ""
    url = site_url()
    sign_in = f"Sign in to see your case: {url}/portal/" if url else "Sign in to see your case."
    body = (
        f"Hello,\n\n{opening}\n\n"
        f"Service: {organisation.name}\n"
        f"Date: {day}\n"
        f"Time: {local:%H:%M} (UK time), about {miam.duration_minutes} minutes\n"
        f"How: {miam.get_mode_display()}\n"
        f"{where}: {miam.place}\n\n"
        f"If you cannot attend, please contact {organisation.name}{contact}.\n"
        f"{sign_in}\n"
    )
    return subject, body


def _email_attendees(miam: Miam, *, kind: str, actor: Any) -> int:
    """Email each attendee whom email can safely reach, once per MIAM, kind and start time."""
    from accord.deadlines.outbox import email_enqueue
    from accord.meetings.services.miam_changes import miam_ics, relevance_ref

    organisation = miam.organisation
    subject, body = _miam_email(miam, organisation, kind=kind)
    sent = 0
    stamp = f"{miam.starts_at.astimezone(dt.UTC):%Y%m%d%H%M}"
    calendar_file = ("miam.ics", "text/calendar; charset=utf-8", miam_ics(miam))
    for participant in miam.attendees.all():
        if not participant.can_be_emailed:
            continue
        # The start time is in the key, so a rebooked MIAM is confirmed and reminded again.
        key = f"miam.{miam.pk}.{kind}.{participant.pk}.{stamp}"
        if kind == "cancelled":
            key += f".s{miam.sequence}"
        _, created = email_enqueue(
            organisation_id=miam.organisation_id,
            key=key,
            to_email=participant.email,
            subject=subject,
            body=body,
            # A booking or reminder is dropped at delivery if the MIAM has since moved or ended.
            still_relevant=("miam", relevance_ref(miam, kind)),
            attachment=calendar_file,
        )
        if not created:
            continue
        sent += 1
        audit_record(
            organisation_id=miam.organisation_id,
            actor=actor,
            action="miam.reminder_sent",
            target=miam,
            case_id=miam.case_id,
            details={"miam_id": miam.pk, "participant_id": participant.pk, "kind": kind},
        )
    return sent


def miam_reminders_send_due(*, now: dt.datetime | None = None) -> int:
    """Remind the attendees of booked MIAMs starting in the next 48 hours; returns emails written.

    For the worker's loop, every 30 seconds. Each MIAM is handled in its own transaction with its
    row locked (another worker skips it), and each email has a fixed key, so running twice, even
    at once, writes each reminder once. A MIAM on a kind of case without MIAMs (booked before
    kinds declared their parts) is never reminded of.
    """
    now = now or timezone.now()
    family = kinds.kinds_with("miam")
    due = Miam.objects.filter(
        status=MiamStatus.BOOKED,
        starts_at__gt=now,
        starts_at__lte=now + REMINDER_WINDOW,
        case__kind__in=family,
    ).values_list("pk", flat=True)
    sent = 0
    for miam_id in list(due):
        with transaction.atomic():
            miam = (
                Miam.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("organisation")
                .filter(
                    pk=miam_id,
                    status=MiamStatus.BOOKED,
                    case__kind__in=family,
                    starts_at__gt=now,
                    starts_at__lte=now + REMINDER_WINDOW,
                )
                .first()
            )
            if miam is not None:
                sent += _email_attendees(miam, kind="reminder", actor=None)
    return sent
