"""Every change to deadlines, rules and calendars: checked, validated, audited, atomic.

`deadline_create` and friends are also called by other apps (safeguarding) with this contract:
keyword-only arguments, `ValidationFailed` with field errors for bad input, `NotFoundOrHidden`
when the actor may not see the case or deadline, `NotPermitted` when they may see it but not act.
An `actor` of None means the system itself (the worker) and skips the permission check.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.audit.services import AuditEntry, audit_record, audit_record_many
from accord.calendar import london_date, parse_govuk_bank_holidays, reconcile_bank_holidays
from accord.cases import policy as case_policy
from accord.cases.models import Case, Participant
from accord.core.bulk import insert_rows
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.deadlines import conf, policy
from accord.deadlines.due import before_reminder_moment, compute_due
from accord.deadlines.models import (
    CalendarOverride,
    Deadline,
    DeadlineRule,
    DeadlineStatus,
    DeadlineVisibility,
    OverrideKind,
    Reminder,
    ReminderKind,
    RuleUnit,
)
from accord.deadlines.selectors import calendar_for, forget_calendars, rule_in_force
from accord.organisations.models import Organisation, Role
from accord.organisations.selectors import roles_in, staff_in

GOVUK_SOURCE = "GOV.UK bank-holidays.json"
_CODE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,79}$")
_NOTE_LIMIT = 2000


# Calendar overrides


@transaction.atomic
def calendar_closure_add(
    *,
    actor: Any,
    organisation: Organisation,
    date: Any,
    name: str,
    kind: str = OverrideKind.CLOSURE,
) -> CalendarOverride:
    """Record a day on which the service is shut (or a correction to its bank holidays)."""
    if not policy.can_configure(actor, organisation.pk):
        raise NotPermitted("Only the service's admins can change its working calendar.")
    errors: dict[str, list[str]] = {}
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        errors["date"] = ["Enter the date as a real date, for example 24 12 2026."]
    elif not 2000 <= date.year <= 2100:
        errors["date"] = ["Enter a date between 2000 and 2100."]
    elif kind == OverrideKind.WORKING_DAY and date.weekday() >= 5:
        errors["date"] = ["Saturdays and Sundays are never working days."]
    name = (name or "").strip()
    if not name:
        errors["name"] = ["Say what the day is, for example “Christmas closure”."]
    elif len(name) > 200:
        errors["name"] = ["The name must be 200 characters or fewer."]
    if kind not in OverrideKind.values:
        errors["kind"] = ["Choose closure, bank holiday or working day."]
    if (
        not errors
        and CalendarOverride.objects.filter(
            organisation=organisation, region="", date=date, kind=kind
        ).exists()
    ):
        errors["date"] = ["This day is already in the service's calendar."]
    if errors:
        raise ValidationFailed("The day could not be added.", field_errors=errors)
    override = CalendarOverride.objects.create(
        organisation=organisation,
        region="",
        date=date,
        kind=kind,
        name=name,
        source="Service calendar",
        created_by=actor,
    )
    audit_record(
        organisation_id=organisation.pk,
        actor=actor,
        action="calendar.override_added",
        target=override,
        details={"date": date.isoformat(), "kind": kind, "name": name},
    )
    forget_calendars()
    transaction.on_commit(forget_calendars)
    return override


@transaction.atomic
def calendar_override_remove(*, actor: Any, override: CalendarOverride) -> None:
    """Remove one of the service's own closures or corrections (national rows are imported)."""
    if override.organisation_id is None or not policy.can_configure(
        actor, override.organisation_id
    ):
        raise NotFoundOrHidden("No such day in your service's calendar.")
    organisation_id = override.organisation_id
    locked = CalendarOverride.objects.select_for_update().filter(pk=override.pk).first()
    if locked is None:
        return
    audit_record(
        organisation_id=organisation_id,
        actor=actor,
        action="calendar.override_removed",
        target=locked,
        details={"date": locked.date.isoformat(), "kind": locked.kind, "name": locked.name},
    )
    locked.delete()
    forget_calendars()
    transaction.on_commit(forget_calendars)


@dataclass
class ImportResult:
    """What an import of GOV.UK bank holidays changed, region by region."""

    checked: dict[str, int] = field(default_factory=dict)
    added: int = 0
    removed: int = 0
    renamed: int = 0


@transaction.atomic
def bank_holidays_import(
    *, actor: Any, data: Mapping[str, object], source: str = GOVUK_SOURCE
) -> ImportResult:
    """Make the national calendar agree with GOV.UK's published bank holidays; safe to repeat.

    Only the differences from the `holidays` package are stored (an extra bank holiday, or a
    package holiday GOV.UK does not list), for the years the file covers. Re-running with the same
    file changes nothing; a newer file replaces the earlier import's rows for its years.
    """
    try:
        published = parse_govuk_bank_holidays(data)
    except (ValueError, TypeError) as exc:
        raise ValidationFailed(str(exc), field_errors={"file": [str(exc)]}) from None
    result = ImportResult()
    for region, entries in published.items():
        result.checked[region] = len(entries)
        years = sorted({entry.date.year for entry in entries})
        if not years:
            continue
        wanted = {(o.date, str(o.kind)): o.name for o in reconcile_bank_holidays(region, entries)}
        existing = {
            (row.date, row.kind): row
            for row in CalendarOverride.objects.select_for_update().filter(
                organisation__isnull=True, region=region, source=source, date__year__in=years
            )
        }
        for key, row in existing.items():
            if key not in wanted:
                row.delete()
                result.removed += 1
            elif row.name != wanted[key]:
                row.name = wanted[key]
                row.save(update_fields=["name", "updated_at"])
                result.renamed += 1
        for (day, kind), name in wanted.items():
            if (day, kind) in existing:
                continue
            # A hand-made national row for the same day and kind already says the same thing.
            _, created = CalendarOverride.objects.get_or_create(
                organisation=None,
                region=region,
                date=day,
                kind=kind,
                defaults={"name": name, "source": source, "created_by": actor},
            )
            result.added += int(created)
    details = {
        "source": source,
        "checked": result.checked,
        "added": result.added,
        "removed": result.removed,
        "renamed": result.renamed,
    }
    # National rows belong to no service, so every service's chain records that its calendar moved.
    for organisation in Organisation.objects.order_by("pk"):
        audit_record(
            organisation_id=organisation.pk,
            actor=actor,
            action="calendar.bank_holidays_imported",
            target=organisation,
            details=details,
        )
    forget_calendars()
    transaction.on_commit(forget_calendars)
    return result


# The rule table


@transaction.atomic
def deadline_rule_add_for_service(
    *,
    actor: Any,
    organisation: Organisation,
    code: str,
    period: Any,
    unit: str,
    effective_from: Any,
    source: str,
    at_time: dt.time | None = None,
    label: str = "",
    description: str = "",
) -> DeadlineRule:
    """Add a service's own row for a rule, used for its cases opened on or after effective_from."""
    if not policy.can_configure(actor, organisation.pk):
        raise NotPermitted("Only the service's admins can change its deadline rules.")
    errors: dict[str, list[str]] = {}
    national = (
        DeadlineRule.objects.filter(code=code, organisation__isnull=True)
        .order_by("-effective_from")
        .first()
    )
    if national is None:
        errors["code"] = ["Choose one of the rules listed."]
    if unit not in RuleUnit.values:
        errors["unit"] = ["Choose how the period is counted."]
    if isinstance(period, bool) or not isinstance(period, int):
        errors["period"] = ["Enter the period as a whole number."]
    elif period == 0 or not -1000 <= period <= 1000:
        errors["period"] = ["Enter a period between -1000 and 1000, other than 0."]
    elif unit == RuleUnit.NEXT_WORKING_DAY_AT and period < 1:
        errors["period"] = ["A next-working-day rule needs a period of 1 or more."]
    if unit == RuleUnit.NEXT_WORKING_DAY_AT and at_time is None:
        errors["at_time"] = ["Enter the time of day, for example 10:00."]
    elif unit == RuleUnit.HOURS and at_time is not None:
        errors["at_time"] = [
            "Leave the time of day empty: hours count from the moment the clock starts."
        ]
    if at_time is not None and not isinstance(at_time, dt.time):
        errors["at_time"] = ["Enter the time of day, for example 10:00."]
    if not isinstance(effective_from, dt.date) or isinstance(effective_from, dt.datetime):
        errors["effective_from"] = ["Enter the date the rule applies from."]
    elif not 2000 <= effective_from.year <= 2100:
        errors["effective_from"] = ["Enter a date between 2000 and 2100."]
    source = (source or "").strip()
    if not source:
        errors["source"] = [
            "Say where the rule comes from, for example “Service policy, May 2026”."
        ]
    elif len(source) > 300:
        errors["source"] = ["The source must be 300 characters or fewer."]
    label = (label or "").strip() or (national.label if national else "")
    if len(label) > 200:
        errors["label"] = ["The label must be 200 characters or fewer."]
    if (
        not errors
        and DeadlineRule.objects.filter(
            organisation=organisation, code=code, effective_from=effective_from
        ).exists()
    ):
        errors["effective_from"] = ["Your service already has a row for this rule from that date."]
    if errors:
        raise ValidationFailed("The rule could not be saved.", field_errors=errors)
    rule = DeadlineRule.objects.create(
        organisation=organisation,
        code=code,
        label=label,
        period=period,
        unit=unit,
        at_time=at_time,
        effective_from=effective_from,
        source=source,
        description=(description or "").strip(),
        created_by=actor,
    )
    audit_record(
        organisation_id=organisation.pk,
        actor=actor,
        action="deadline_rule.added",
        target=rule,
        details={
            "code": code,
            "period": period,
            "unit": unit,
            "at_time": at_time.isoformat() if at_time else None,
            "effective_from": effective_from.isoformat(),
            "source": source,
        },
    )
    return rule


# Deadlines


def _require_case_manager(actor: Any, case: Case, visibility: str) -> None:
    if actor is None:
        return
    if not case_policy.can(actor, "view_workspace", case):
        raise NotFoundOrHidden("No such case.")
    if not policy.can_manage_on_case(actor, case, visibility):
        raise NotPermitted("You do not have permission to set deadlines on this case.")


def _require_resolver(actor: Any, deadline: Deadline) -> None:
    if actor is None:
        return
    if not policy.can_view(actor, deadline):
        if policy.participant_can_view(actor, deadline):
            raise NotPermitted("Only the case team can update this deadline.")
        raise NotFoundOrHidden("No such deadline.")
    if not policy.can_resolve(actor, deadline):
        raise NotPermitted("You do not have permission to update this deadline.")


def _check_common(
    *,
    case: Case,
    rule_code: str,
    owner: Any,
    title: str | None,
    concerns_participant: Participant | None,
    visible_to_participants: bool,
    visibility: str,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not isinstance(rule_code, str) or not _CODE.match(rule_code):
        errors["rule_code"] = [
            "Use a rule code of lower-case letters, digits, dots and underscores."
        ]
    if visibility not in DeadlineVisibility.values:
        errors["visibility"] = ["Choose who may see the deadline."]
    elif visibility == DeadlineVisibility.RESTRICTED and visible_to_participants:
        errors["visible_to_participants"] = [
            "A safeguarding deadline can never be shown to participants."
        ]
    if title is not None and len(title) > 200:
        errors["title"] = ["The title must be 200 characters or fewer."]
    if owner is None or not getattr(owner, "pk", None):
        errors["owner"] = ["Choose who owns the deadline."]
    elif not owner.is_active or not roles_in(owner, case.organisation_id):
        errors["owner"] = [f"{owner} is not an active member of this service's staff."]
    elif not case_policy.can(owner, "view_workspace", case) or (
        visibility == DeadlineVisibility.RESTRICTED
        and not case_policy.can(owner, "view_restricted", case)
    ):
        errors["owner"] = [f"{owner} cannot see this case, so cannot own its deadline."]
    if concerns_participant is not None and concerns_participant.case_id != case.pk:
        errors["concerns_participant"] = ["Choose a participant in this case."]
    return errors


def _aware(value: Any) -> bool:
    return (
        isinstance(value, dt.datetime)
        and value.tzinfo is not None
        and value.utcoffset() is not None
    )


def _schedule_reminders(deadline: Deadline, now: dt.datetime) -> None:
    """Create the "before" and "due" reminders of a new deadline."""
    reminders: list[Reminder] = []
    before_at = before_reminder_moment(
        due_at=deadline.due_at,
        now=now,
        calendar=calendar_for(deadline.case.organisation),
        lead_working_days=conf.reminder_lead_working_days(),
        short_lead_working_days=conf.reminder_short_lead_working_days(),
        send_time=conf.reminder_send_time(),
    )
    if before_at is not None:
        reminders.append(
            Reminder(
                deadline=deadline,
                kind=ReminderKind.BEFORE,
                recipient=deadline.owner,
                send_after=before_at,
            )
        )
        participant_user = policy.participant_email_recipient(deadline)
        if participant_user is not None:
            reminders.append(
                Reminder(
                    deadline=deadline,
                    kind=ReminderKind.BEFORE,
                    recipient=participant_user,
                    send_after=before_at,
                )
            )
    if deadline.due_at > now:
        reminders.append(
            Reminder(
                deadline=deadline,
                kind=ReminderKind.DUE,
                recipient=deadline.owner,
                send_after=deadline.due_at,
            )
        )
    Reminder.objects.bulk_create(reminders, ignore_conflicts=True)


def escalation_recipients(
    deadline: Deadline, *, staff: dict[tuple[int, str], list[Any]] | None = None
) -> list[Any]:
    """Who hears that a deadline was missed: the case supervisor, else the service's seniors.

    Only people who may see the deadline are chosen, so a safeguarding deadline escalates to the
    case supervisor or, failing that, the safeguarding leads, never to anyone outside that circle.
    `staff` caches the service's staff by role across a batch of deadlines (the worker).
    """
    case = deadline.case
    organisation_id = case.organisation_id
    cache = staff if staff is not None else {}

    def holding(role: str) -> list[Any]:
        key = (organisation_id, role)
        if key not in cache:
            cache[key] = list(staff_in(organisation_id, role))
        return cache[key]

    stages: list[list[Any]] = []
    if case.supervisor_id is not None:
        # One object per person across the batch, so the policy's per-user cache is reused.
        key = (-1, str(case.supervisor_id))
        if key not in cache:
            cache[key] = [case.supervisor]
        stages.append(cache[key])
    stages.append(holding(Role.SUPERVISOR) + holding(Role.SERVICE_ADMIN))
    stages.append(holding(Role.SAFEGUARDING_LEAD))
    for candidates in stages:
        chosen: dict[int, Any] = {}
        for person in candidates:
            if person.is_active and person.pk not in chosen and policy.can_view(person, deadline):
                chosen[person.pk] = person
        if chosen:
            return list(chosen.values())
    return []


def _escalations(
    deadline: Deadline, now: dt.datetime, staff: dict[tuple[int, str], list[Any]]
) -> list[Reminder]:
    if deadline.case.is_closed:
        return []  # a closed case's leftover deadlines are recorded as missed without alarm
    return [
        Reminder(deadline=deadline, kind=ReminderKind.ESCALATION, recipient=person, send_after=now)
        for person in escalation_recipients(deadline, staff=staff)
    ]


def _schedule_escalation(deadline: Deadline, now: dt.datetime) -> int:
    reminders = _escalations(deadline, now, {})
    Reminder.objects.bulk_create(reminders, ignore_conflicts=True)
    return len(reminders)


def _cancel_pending(deadline: Deadline, now: dt.datetime, kinds: tuple[str, ...]) -> None:
    Reminder.objects.filter(
        deadline=deadline, kind__in=kinds, sent_at__isnull=True, cancelled_at__isnull=True
    ).update(cancelled_at=now, last_error="The deadline no longer needs this reminder.")


def _enqueue_dispatch() -> None:
    from accord.deadlines.tasks import enqueue_after_commit, send_due_reminders

    enqueue_after_commit(send_due_reminders)


def _create(
    *,
    actor: Any,
    case: Case,
    rule: DeadlineRule | None,
    rule_code: str,
    title: str,
    start: dt.datetime | None,
    due_at: dt.datetime,
    owner: Any,
    concerns_participant: Participant | None,
    visible_to_participants: bool,
    visibility: str,
) -> Deadline:
    now = timezone.now()
    deadline = Deadline.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        rule=rule,
        rule_code=rule_code,
        title=title,
        starts_at=start,
        due_at=due_at,
        owner=owner,
        concerns_participant=concerns_participant,
        visible_to_participants=visible_to_participants,
        visibility=visibility,
        created_by=actor,
    )
    _schedule_reminders(deadline, now)
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="deadline.created",
        target=deadline,
        case_id=case.pk,
        visibility=visibility,
        details={
            "rule_code": rule_code,
            "rule_id": rule.pk if rule else None,
            "due_at": due_at.isoformat(),
            "owner_id": owner.pk,
            "visible_to_participants": visible_to_participants,
        },
    )
    return deadline


def _fresh_case(case: Case) -> Case:
    return Case.objects.select_related("organisation", "supervisor").get(pk=case.pk)


@transaction.atomic
def deadline_create(
    *,
    actor: Any,
    case: Case,
    rule_code: str,
    start: dt.datetime,
    owner: Any,
    title: str | None = None,
    concerns_participant: Participant | None = None,
    visible_to_participants: bool = False,
    visibility: str = DeadlineVisibility.CASE,
) -> Deadline:
    """Set a deadline whose due moment comes from the rule in force when the case opened."""
    case = _fresh_case(case)
    _require_case_manager(actor, case, visibility)
    title = title.strip() if isinstance(title, str) else None
    errors = _check_common(
        case=case,
        rule_code=rule_code,
        owner=owner,
        title=title,
        concerns_participant=concerns_participant,
        visible_to_participants=visible_to_participants,
        visibility=visibility,
    )
    if not _aware(start):
        errors["start"] = ["Enter when the clock starts, as a date and time."]
    rule = None
    if "rule_code" not in errors:
        opened_on = london_date(case.opened_at)
        rule = rule_in_force(organisation=case.organisation, code=rule_code, on=opened_on)
        if rule is None:
            errors["rule_code"] = [
                f"No rule “{rule_code}” was in force on {opened_on:%d %B %Y}, when the case opened."
            ]
    if errors or rule is None:
        raise ValidationFailed("The deadline could not be set.", field_errors=errors)
    try:
        due_at = compute_due(
            unit=rule.unit,
            period=rule.period,
            at_time=rule.at_time,
            start=start,
            calendar=calendar_for(case.organisation),
            default_time=conf.default_due_time(),
        )
    except (ValueError, OverflowError) as exc:
        raise ValidationFailed(
            f"The rule “{rule_code}” cannot be applied: {exc}",
            field_errors={"rule_code": [str(exc)]},
        ) from None
    return _create(
        actor=actor,
        case=case,
        rule=rule,
        rule_code=rule_code,
        title=title or rule.label,
        start=start,
        due_at=due_at,
        owner=owner,
        concerns_participant=concerns_participant,
        visible_to_participants=visible_to_participants,
        visibility=visibility,
    )


@transaction.atomic
def deadline_create_due(
    *,
    actor: Any,
    case: Case,
    rule_code: str,
    due_at: dt.datetime,
    owner: Any,
    title: str,
    concerns_participant: Participant | None = None,
    visible_to_participants: bool = False,
    visibility: str = DeadlineVisibility.CASE,
) -> Deadline:
    """Set a deadline at a moment chosen by hand (agreed timescales, one-off commitments)."""
    case = _fresh_case(case)
    _require_case_manager(actor, case, visibility)
    title = (title or "").strip()
    errors = _check_common(
        case=case,
        rule_code=rule_code,
        owner=owner,
        title=title,
        concerns_participant=concerns_participant,
        visible_to_participants=visible_to_participants,
        visibility=visibility,
    )
    if not title:
        errors["title"] = ["Enter what has to happen by the deadline."]
    if not _aware(due_at):
        errors["due_at"] = ["Enter when the deadline falls due, as a date and time."]
    if errors:
        raise ValidationFailed("The deadline could not be set.", field_errors=errors)
    rule = rule_in_force(
        organisation=case.organisation, code=rule_code, on=london_date(case.opened_at)
    )
    return _create(
        actor=actor,
        case=case,
        rule=rule,
        rule_code=rule_code,
        title=title,
        start=None,
        due_at=due_at,
        owner=owner,
        concerns_participant=concerns_participant,
        visible_to_participants=visible_to_participants,
        visibility=visibility,
    )


def _locked(deadline: Deadline) -> Deadline:
    locked = (
        Deadline.objects.select_for_update(of=("self",))
        .select_related("case", "case__organisation", "case__supervisor", "owner")
        .filter(pk=deadline.pk)
        .first()
    )
    if locked is None:
        raise NotFoundOrHidden("No such deadline.")
    return locked


def _not_open_message(deadline: Deadline, wanted: str) -> str:
    when = (
        timezone.localtime(deadline.resolved_at).strftime("%d %B %Y")
        if deadline.resolved_at
        else ""
    )
    status = {
        DeadlineStatus.MET: f"was already met on {when}",
        DeadlineStatus.MISSED: f"was missed on {when}",
        DeadlineStatus.WAIVED: f"was waived on {when}",
    }.get(DeadlineStatus(deadline.status), "is closed")
    return f"This deadline {status}, so it cannot be {wanted}."


def _clean_note(text: str, field_name: str, *, required: bool, what: str) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationFailed(
            f"Give a reason {what}.", field_errors={field_name: [f"Enter a reason {what}."]}
        )
    if len(text) > _NOTE_LIMIT:
        raise ValidationFailed(
            "The text is too long.",
            field_errors={field_name: [f"This must be {_NOTE_LIMIT:,} characters or fewer."]},
        )
    return text


@transaction.atomic
def deadline_meet(*, actor: Any, deadline: Deadline, note: str = "") -> Deadline:
    """Record that what the deadline asked for was done in time."""
    deadline = _locked(deadline)
    _require_resolver(actor, deadline)
    note = _clean_note(note, "note", required=False, what="")
    if deadline.status != DeadlineStatus.OPEN:
        raise ValidationFailed(_not_open_message(deadline, "marked as met"))
    now = timezone.now()
    deadline.status = DeadlineStatus.MET
    deadline.resolved_at = now
    deadline.resolved_by = actor
    deadline.resolution_note = note
    deadline.save(
        update_fields=["status", "resolved_at", "resolved_by", "resolution_note", "updated_at"]
    )
    _cancel_pending(deadline, now, (ReminderKind.BEFORE, ReminderKind.DUE))
    audit_record(
        organisation_id=deadline.organisation_id,
        actor=actor,
        action="deadline.met",
        target=deadline,
        case_id=deadline.case_id,
        visibility=deadline.visibility,
        details={"note": note, "due_at": deadline.due_at.isoformat()},
    )
    return deadline


@transaction.atomic
def deadline_waive(*, actor: Any, deadline: Deadline, reason: str) -> Deadline:
    """Set a deadline aside with a recorded reason (e.g. the parties agreed another timescale)."""
    deadline = _locked(deadline)
    _require_resolver(actor, deadline)
    reason = _clean_note(reason, "reason", required=True, what="for waiving the deadline")
    if deadline.status != DeadlineStatus.OPEN:
        raise ValidationFailed(_not_open_message(deadline, "waived"))
    now = timezone.now()
    deadline.status = DeadlineStatus.WAIVED
    deadline.resolved_at = now
    deadline.resolved_by = actor
    deadline.waived_reason = reason
    deadline.save(
        update_fields=["status", "resolved_at", "resolved_by", "waived_reason", "updated_at"]
    )
    _cancel_pending(deadline, now, (ReminderKind.BEFORE, ReminderKind.DUE))
    audit_record(
        organisation_id=deadline.organisation_id,
        actor=actor,
        action="deadline.waived",
        target=deadline,
        case_id=deadline.case_id,
        visibility=deadline.visibility,
        details={"reason": reason},
    )
    return deadline


@transaction.atomic
def deadline_escalate_now(*, actor: Any, deadline: Deadline, reason: str) -> Deadline:
    """Treat an open deadline as missed at once and tell the escalation audience straight away.

    Used when it is already clear the deadline will not be met (a parent has not confirmed their
    self-referral). Calling it again on a deadline already missed changes nothing.
    """
    deadline = _locked(deadline)
    _require_resolver(actor, deadline)
    reason = _clean_note(reason, "reason", required=True, what="for escalating the deadline")
    if deadline.status == DeadlineStatus.MISSED:
        return deadline
    if deadline.status != DeadlineStatus.OPEN:
        raise ValidationFailed(_not_open_message(deadline, "escalated"))
    now = timezone.now()
    deadline.due_at = min(deadline.due_at, now)
    deadline.status = DeadlineStatus.MISSED
    deadline.resolved_at = now
    deadline.resolved_by = actor
    deadline.resolution_note = reason
    deadline.save(
        update_fields=[
            "due_at",
            "status",
            "resolved_at",
            "resolved_by",
            "resolution_note",
            "updated_at",
        ]
    )
    _cancel_pending(deadline, now, (ReminderKind.BEFORE, ReminderKind.DUE))
    told = _schedule_escalation(deadline, now)
    audit_record(
        organisation_id=deadline.organisation_id,
        actor=actor,
        action="deadline.escalated",
        target=deadline,
        case_id=deadline.case_id,
        visibility=deadline.visibility,
        details={"reason": reason, "escalation_reminders": told},
    )
    _enqueue_dispatch()
    return deadline


def deadlines_mark_missed(*, now: dt.datetime | None = None, batch_size: int = 500) -> int:
    """Mark open deadlines past their due moment as missed and queue their escalations.

    Periodic and safe to run in several workers at once: each batch locks its rows with SKIP
    LOCKED (on SQLite the write transaction itself is exclusive) and moves only rows still
    open, so every deadline is marked exactly once. A batch is a handful of statements whatever
    its size (one UPDATE, one reminder insert, one audit insert), so a backlog clears quickly.
    """
    total = 0
    while True:
        marked = _mark_missed_batch(now or timezone.now(), batch_size)
        total += marked
        if marked < batch_size:
            return total


_REMINDER_COLUMNS = (
    "deadline_id",
    "kind",
    "recipient_id",
    "send_after",
    "attempts",
    "last_error",
    "created_at",
)


@transaction.atomic
def _mark_missed_batch(now: dt.datetime, batch_size: int) -> int:
    claimed = list(
        Deadline.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(status=DeadlineStatus.OPEN, due_at__lte=now)
        .order_by("due_at", "id")
        .values_list("id", flat=True)[:batch_size]
    )
    if not claimed:
        return 0
    # The claim: only rows still open move, so a row another run marked first is left alone.
    Deadline.objects.filter(pk__in=claimed, status=DeadlineStatus.OPEN).update(
        status=DeadlineStatus.MISSED, resolved_at=now, updated_at=now
    )
    batch = list(
        Deadline.objects.filter(pk__in=claimed, status=DeadlineStatus.MISSED, resolved_at=now)
        .select_related("case", "case__supervisor")
        .order_by("due_at", "id")
    )
    ids = [deadline.pk for deadline in batch]
    Reminder.objects.filter(
        deadline_id__in=ids,
        kind=ReminderKind.BEFORE,
        sent_at__isnull=True,
        cancelled_at__isnull=True,
    ).update(cancelled_at=now, last_error="The deadline no longer needs this reminder.")
    staff: dict[tuple[int, str], list[Any]] = {}
    reminders: list[tuple[Any, ...]] = []
    entries: list[AuditEntry] = []
    for deadline in batch:
        escalations = _escalations(deadline, now, staff)
        reminders += (
            (deadline.pk, ReminderKind.ESCALATION.value, r.recipient_id, now, 0, "", now)
            for r in escalations
        )
        entries.append(
            AuditEntry(
                organisation_id=deadline.organisation_id,
                actor=None,
                action="deadline.missed",
                target=deadline,
                case_id=deadline.case_id,
                visibility=deadline.visibility,
                details={
                    "due_at": deadline.due_at.isoformat(),
                    "escalation_reminders": len(escalations),
                },
            )
        )
    # Plain INSERTs: at thousands of rows the ORM's per-value preparation was the bottleneck.
    insert_rows(Reminder, _REMINDER_COLUMNS, reminders, ignore_conflicts=True)
    audit_record_many(entries)
    if batch:
        _enqueue_dispatch()
    return len(claimed)
