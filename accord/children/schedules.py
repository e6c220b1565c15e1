"""Time-share schedules of a case: saving proposals, agreeing one, and what each shows.

The mediator (or any staff who may change the case) saves schedules; each parent may save their
own proposals through the API (`proposed_by`). Every schedule is between the case's two parents:
parent A and parent B. Reads: the case's staff see every schedule; a parent sees the mediator's,
their own, and the other parent's only once shared into the comparison by the mediator (here:
the agreed one and the mediator's). Calculations go through `accord.children.calc`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases import policy as case_policy
from accord.cases.models import PARTY_ROLES, Case, Participant
from accord.cases.progress import ensure_part_applies
from accord.children import calc
from accord.children.models import CareSchedule
from accord.core.errors import NotFoundOrHidden, ValidationFailed

MAX_SCHEDULES = 20
HOLIDAY_RULES = ("alternate", "fixed")


def parents_of(case: Case) -> list[Participant]:
    return list(Participant.objects.filter(case=case, role__in=PARTY_ROLES).order_by("id")[:2])


def _clean_holidays(raw: Sequence[dict[str, Any]], errors: dict[str, list[str]]) -> list[dict]:
    cleaned: list[dict[str, str]] = []
    for n, rule in enumerate(raw, start=1):
        try:
            item = calc.HolidayRule(
                name=str(rule.get("name") or "").strip()[:60] or f"Holiday {n}",
                start=str(rule.get("start") or ""),
                end=str(rule.get("end") or ""),
                rule=str(rule.get("rule") or ""),
                even_years=str(rule.get("even_years") or ""),
            )
            calc._month_day(item.start)
            calc._month_day(item.end)
        except calc.ScheduleError as exc:
            errors["holidays"] = [f"Holiday {n}: {exc}"]
            continue
        except AttributeError:
            errors["holidays"] = [f"Holiday {n}: give its name, start, end, rule and parent."]
            continue
        if item.rule not in HOLIDAY_RULES:
            errors["holidays"] = [f"Holiday {n}: the rule is alternate or fixed."]
        elif item.even_years not in calc.CARERS:
            errors["holidays"] = [f"Holiday {n}: say which parent (A or B) has it."]
        else:
            cleaned.append(item.__dict__.copy())
    return cleaned


@transaction.atomic
def schedule_save(
    *,
    actor: Any,
    case: Case,
    name: str,
    pattern: str = "",
    rotation: str = "",
    anchor: dt.date | None,
    handover_time: dt.time | None = None,
    holidays: Sequence[dict[str, Any]] = (),
) -> CareSchedule:
    """Save a proposed schedule: a named pattern or a custom rotation of A and B days.

    Staff who may change the case save the mediator's proposals; a parent saves their own.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    proposer: Participant | None = None
    if case_policy.can(actor, "change", case):
        pass
    else:
        proposer = Participant.objects.filter(
            case=case,
            role__in=PARTY_ROLES,
            user_id=getattr(actor, "pk", 0) or 0,
            portal_access=True,
        ).first()
        if proposer is None:
            raise NotFoundOrHidden("No such case.")
    ensure_part_applies(case, "schedules")
    errors: dict[str, list[str]] = {}
    name = name.strip() if isinstance(name, str) else ""
    if not name:
        errors["name"] = ["Give the schedule a name, such as “2-2-5-5 from January”."]
    elif len(name) > 120:
        errors["name"] = ["The name must be 120 characters or fewer."]
    known = calc.patterns()
    letters = ""
    if pattern:
        if pattern not in known:
            errors["pattern"] = ["Choose one of the named patterns, or a custom rotation."]
        else:
            letters = known[pattern][1]
    else:
        letters = "".join((rotation or "").split()).upper()
        try:
            calc.check_rotation(list(letters))
        except calc.ScheduleError as exc:
            errors["rotation"] = [str(exc)]
    if not isinstance(anchor, dt.date):
        errors["anchor"] = ["Enter the date the rotation starts from."]
    handover = handover_time or dt.time(18, 0)
    cleaned = _clean_holidays(list(holidays), errors)
    parents = parents_of(case)
    if len(parents) < 2:
        errors["__all__"] = ["A schedule needs both parents to be parties of the case."]
    if CareSchedule.objects.filter(case=case).count() >= MAX_SCHEDULES:
        errors["__all__"] = [f"A case keeps at most {MAX_SCHEDULES} schedules."]
    if errors:
        only = next(iter(errors.values()))[0] if len(errors) == 1 else ""
        raise ValidationFailed(
            errors.get("__all__", [only or "The schedule could not be saved."])[0],
            field_errors=errors,
        )
    assert anchor is not None
    schedule = CareSchedule.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        name=name,
        created_by=actor,
        proposed_by=proposer,
        parent_a=parents[0],
        parent_b=parents[1],
        pattern=pattern,
        rotation=list(letters),
        anchor=anchor,
        handover_time=handover,
        holidays=cleaned,
    )
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="children.schedule_saved",
        target=schedule,
        case_id=case.pk,
        details={"schedule_id": schedule.pk, "name": name, "pattern": pattern or "custom"},
    )
    return schedule


@transaction.atomic
def schedule_agree(*, actor: Any, schedule: CareSchedule) -> CareSchedule:
    """Mark the schedule the parents agreed (it goes into the parenting plan and the estimate)."""
    from accord.cases.services import case_locked_for

    case = case_locked_for(
        actor=actor,
        case=schedule.case,
        action="change",
        refusal="Only the case team can record the agreed schedule.",
    )
    CareSchedule.objects.filter(case=case, agreed_at__isnull=False).update(agreed_at=None)
    schedule = CareSchedule.objects.get(pk=schedule.pk, case=case)
    schedule.agreed_at = timezone.now()
    schedule.save(update_fields=["agreed_at", "updated_at"])
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="children.schedule_agreed",
        target=schedule,
        case_id=case.pk,
        details={"schedule_id": schedule.pk},
    )
    return schedule


# Reads ------------------------------------------------------------------------------------------


def _is_parent(user: Any, case: Case) -> Participant | None:
    return Participant.objects.filter(
        case=case, role__in=PARTY_ROLES, user_id=getattr(user, "pk", 0) or 0, portal_access=True
    ).first()


def schedules_for(*, user: Any, case: Case) -> list[CareSchedule]:
    """Staff: every schedule. A parent: the mediator's and their own proposals."""
    rows = CareSchedule.objects.filter(case=case).select_related(
        "parent_a", "parent_b", "proposed_by"
    )
    if case_policy.can(user, "view_workspace", case):
        return list(rows)
    me = _is_parent(user, case)
    if me is None:
        raise NotFoundOrHidden("No such case.")
    return [s for s in rows if s.proposed_by_id in (None, me.pk)]


def schedule_get(*, user: Any, case: Case, schedule_id: Any) -> CareSchedule:
    try:
        wanted = int(schedule_id)
    except (TypeError, ValueError):
        raise NotFoundOrHidden("No such schedule.") from None
    for schedule in schedules_for(user=user, case=case):
        if schedule.pk == wanted:
            return schedule
    raise NotFoundOrHidden("No such schedule.")


def agreed_schedule(case: Case) -> CareSchedule | None:
    return (
        CareSchedule.objects.filter(case=case, agreed_at__isnull=False)
        .select_related("parent_a", "parent_b")
        .first()
    )


def split_of(schedule: CareSchedule, start: dt.date, end: dt.date) -> calc.Split:
    return calc.split(
        rotation=schedule.rotation,
        anchor=schedule.anchor,
        handover=schedule.handover_time,
        holidays=[calc.HolidayRule(**rule) for rule in schedule.holidays],
        start=max(start, schedule.anchor),
        end=end,
    )


def next_twelve_months(schedule: CareSchedule, today: dt.date | None = None) -> calc.Split:
    """Nights over the next 12 months (what the maintenance service counts)."""
    first = max(today or timezone.localdate(), schedule.anchor)
    last = first.replace(year=first.year + 1) - dt.timedelta(days=1)
    return split_of(schedule, first, last)


def month_weeks(split: calc.Split, year: int, month: int) -> list[list[tuple[dt.date, str] | None]]:
    """A month calendar: weeks Monday to Sunday of (day, carer) or None outside the month."""
    first = dt.date(year, month, 1)
    weeks: list[list[tuple[dt.date, str] | None]] = []
    week: list[tuple[dt.date, str] | None] = [None] * first.weekday()
    day = first
    while day.month == month:
        week.append((day, split.days.get(day, "")))
        if len(week) == 7:
            weeks.append(week)
            week = []
        day += dt.timedelta(days=1)
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    return weeks
