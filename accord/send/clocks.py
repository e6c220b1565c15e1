"""Starting and stopping the SEND clocks: deadlines from the dated rules, shared with the family.

Each clock is a `Deadline` of the deadline engine with the rule's code, owned by the case's lead
mediator (else the person acting), concerning the family's party so that their portal shows it
and they may be reminded by email. A clock already running is not started twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from accord.calendar import london_date, london_wall_time
from accord.cases.models import Case, Participant, ParticipantRole
from accord.core.errors import ValidationFailed
from accord.deadlines import conf
from accord.deadlines.due import compute_due
from accord.deadlines.models import Deadline, DeadlineStatus
from accord.deadlines.selectors import calendar_for, rule_in_force

FAMILY_ROLES = (ParticipantRole.PARENT_CARER, ParticipantRole.YOUNG_PERSON)


def family_party(case: Case) -> Participant | None:
    """The parent or young person who brought the case (the first of them)."""
    return Participant.objects.filter(case=case, role__in=FAMILY_ROLES).order_by("id").first()


def clock_owner(case: Case, actor: Any) -> Any:
    """Who owns the case's SEND clocks: the lead mediator, else whoever acts."""
    return case.lead_mediator if case.lead_mediator_id else actor


def due_from_rule(case: Case, code: str, start: dt.datetime) -> dt.datetime:
    """The due moment of a rule in force when the case opened, counted from `start`."""
    rule = rule_in_force(organisation=case.organisation, code=code, on=london_date(case.opened_at))
    if rule is None:
        raise ValidationFailed(f"No rule “{code}” is in force for this case.")
    return compute_due(
        unit=rule.unit,
        period=rule.period,
        at_time=rule.at_time,
        start=start,
        calendar=calendar_for(case.organisation),
        default_time=conf.default_due_time(),
    )


def date_from_rule(case: Case, code: str, day: dt.date) -> dt.date:
    """A rule counted from a date rather than a moment (the appeal limits)."""
    start = london_wall_time(day, dt.time(12, 0))
    return london_date(due_from_rule(case, code, start))


def open_clock(case: Case, code: str) -> Deadline | None:
    """The open deadline of a rule on the case, if one runs."""
    return Deadline.objects.filter(case=case, rule_code=code, status=DeadlineStatus.OPEN).first()


def clock_start(
    *,
    actor: Any,
    case: Case,
    code: str,
    start: dt.datetime,
    concerns: Participant | None = None,
    shared: bool = True,
    title: str | None = None,
) -> Deadline:
    """Start a rule's clock on the case, unless one already runs (then that one is returned)."""
    from accord.deadlines.services import deadline_create

    running = open_clock(case, code)
    if running is not None:
        return running
    return deadline_create(
        actor=None,
        case=case,
        rule_code=code,
        start=start,
        owner=clock_owner(case, actor),
        title=title,
        concerns_participant=concerns if concerns is not None else family_party(case),
        visible_to_participants=shared,
    )


def clock_start_due(
    *,
    actor: Any,
    case: Case,
    code: str,
    due_at: dt.datetime,
    title: str,
    concerns: Participant | None = None,
    shared: bool = True,
) -> Deadline:
    """Start a clock whose moment was worked out here (a timescale the parties agreed)."""
    from accord.deadlines.services import deadline_create_due

    return deadline_create_due(
        actor=None,
        case=case,
        rule_code=code,
        due_at=due_at,
        owner=clock_owner(case, actor),
        title=title,
        concerns_participant=concerns,
        visible_to_participants=shared,
    )


def clock_meet(*, actor: Any, case: Case, code: str, note: str) -> None:
    """Record a running clock of the case as met (nothing if none runs)."""
    from accord.deadlines.services import deadline_meet

    running = open_clock(case, code)
    if running is not None:
        deadline_meet(actor=None, deadline=running, note=note)


def now() -> dt.datetime:
    return timezone.now()
