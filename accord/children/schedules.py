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
from accord.children.models import CareSchedule, SchoolTerm
from accord.core.errors import NotFoundOrHidden, ValidationFailed

MAX_SCHEDULES = 20
MAX_EXCEPTIONS = 60
HOLIDAY_RULES = ("alternate", "fixed")
#: Exceptions are for the schedule's own span: from the anchor up to this many days after it.
EXCEPTION_HORIZON_DAYS = 366 * 5


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


def _clean_handovers(raw: Sequence[Any], errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    """[{"weekday": 0-6, "time": "HH:MM" or time}] -> cleaned; two times on one weekday overlap."""
    cleaned: list[dict[str, Any]] = []
    seen: dict[int, str] = {}
    for n, row in enumerate(raw, start=1):
        try:
            weekday = int(row.get("weekday"))
            value = row.get("time")
            time = value if isinstance(value, dt.time) else dt.time.fromisoformat(str(value))
        except (AttributeError, TypeError, ValueError):
            errors["handovers"] = [f"Handover {n}: give a weekday and a time such as 15:30."]
            continue
        if not 0 <= weekday <= 6:
            errors["handovers"] = [f"Handover {n}: the weekday is Monday to Sunday."]
            continue
        text = f"{time:%H:%M}"
        if weekday in seen and seen[weekday] != text:
            errors["handovers"] = [
                f"Two handovers overlap: {calc.WEEKDAYS[weekday]} has both {seen[weekday]} "
                f"and {text}. Give each weekday one handover time."
            ]
            continue
        if weekday not in seen:
            seen[weekday] = text
            cleaned.append({"weekday": weekday, "time": text})
    return cleaned


def _clean_exceptions(
    raw: Sequence[Any], anchor: Any, errors: dict[str, list[str]]
) -> list[dict[str, str]]:
    """[{"on": date, "carer": "A"|"B", "note"}] -> cleaned: inside the schedule, one per date."""
    cleaned: list[dict[str, str]] = []
    if len(raw) > MAX_EXCEPTIONS:
        errors["exceptions"] = [
            f"A schedule keeps at most {MAX_EXCEPTIONS} single-date exceptions."
        ]
        return cleaned
    seen: set[dt.date] = set()
    for n, row in enumerate(raw, start=1):
        try:
            value = row.get("on")
            on = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
            carer = str(row.get("carer") or "").strip().upper()
            note = str(row.get("note") or "").strip()[:120]
        except (AttributeError, TypeError, ValueError):
            errors["exceptions"] = [f"Exception {n}: give a date (like 2027-05-02) and a parent."]
            continue
        if carer not in calc.CARERS:
            errors["exceptions"] = [f"Exception {n}: say which parent (A or B) has that night."]
        elif isinstance(anchor, dt.date) and on < anchor:
            errors["exceptions"] = [
                f"The exception on {on:%-d %B %Y} is outside the schedule: it starts on "
                f"{anchor:%-d %B %Y}."
            ]
        elif isinstance(anchor, dt.date) and (on - anchor).days > EXCEPTION_HORIZON_DAYS:
            errors["exceptions"] = [
                f"The exception on {on:%-d %B %Y} is outside the schedule: give dates within "
                "five years of its start."
            ]
        elif on in seen:
            errors["exceptions"] = [
                f"Two exceptions overlap: {on:%-d %B %Y} is given twice. Give each date once."
            ]
        else:
            seen.add(on)
            cleaned.append({"on": on.isoformat(), "carer": carer, "note": note})
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
    handovers: Sequence[dict[str, Any]] = (),
    exceptions: Sequence[dict[str, Any]] = (),
    exclude_school_hours: bool = False,
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
    weekday_handovers = _clean_handovers(list(handovers), errors)
    single_dates = _clean_exceptions(list(exceptions), anchor, errors)
    if not errors and isinstance(anchor, dt.date):
        # Compute the first year once: what only the whole schedule shows (holidays that
        # overlap each other, say) is refused now rather than on every page that shows it.
        try:
            calc.split(
                rotation=list(letters),
                anchor=anchor,
                handover=handover,
                holidays=[calc.HolidayRule(**rule) for rule in cleaned],
                start=anchor,
                end=anchor + dt.timedelta(days=365),
                handovers=_handover_pairs(weekday_handovers),
                exceptions=_exception_days(single_dates),
            )
        except calc.ScheduleError as exc:
            errors["__all__"] = [str(exc)]
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
        handovers=weekday_handovers,
        exceptions=single_dates,
        exclude_school_hours=bool(exclude_school_hours),
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


def _handover_pairs(rows: Sequence[dict[str, Any]]) -> list[tuple[int, dt.time]]:
    return [(int(r["weekday"]), dt.time.fromisoformat(str(r["time"]))) for r in rows]


def _exception_days(rows: Sequence[dict[str, Any]]) -> list[calc.ExceptionDay]:
    return [
        calc.ExceptionDay(dt.date.fromisoformat(r["on"]), r["carer"], r.get("note", ""))
        for r in rows
    ]


def service_terms(organisation_id: int) -> list[calc.Term]:
    """The service's school terms, for the calculations."""
    return [
        calc.Term(name=t.name, start=t.start, end=t.end)
        for t in SchoolTerm.objects.filter(organisation_id=organisation_id)
    ]


def split_of(
    schedule: CareSchedule,
    start: dt.date,
    end: dt.date,
    terms: Sequence[calc.Term] | None = None,
) -> calc.Split:
    """The schedule over a period, with its handovers, exceptions and the service's terms."""
    return calc.split(
        rotation=schedule.rotation,
        anchor=schedule.anchor,
        handover=schedule.handover_time,
        holidays=[calc.HolidayRule(**rule) for rule in schedule.holidays],
        start=max(start, schedule.anchor),
        end=end,
        handovers=_handover_pairs(schedule.handovers),
        exceptions=_exception_days(schedule.exceptions),
        terms=service_terms(schedule.organisation_id) if terms is None else terms,
        exclude_school_hours=schedule.exclude_school_hours,
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


# School terms of the service ---------------------------------------------------------------------

MAX_TERMS = 60


@transaction.atomic
def term_add(*, actor: Any, organisation_id: int, name: Any, start: Any, end: Any) -> SchoolTerm:
    """Record a school term of the service (its administrators): dated, not overlapping."""
    from accord.organisations.selectors import is_service_admin

    if not is_service_admin(actor, organisation_id):
        raise NotFoundOrHidden("No such service.")
    errors: dict[str, list[str]] = {}
    name = name.strip() if isinstance(name, str) else ""
    if not name:
        errors["name"] = ["Name the term, for example “Autumn term 2026”."]
    elif len(name) > 80:
        errors["name"] = ["The name must be 80 characters or fewer."]
    if not isinstance(start, dt.date):
        errors["start"] = ["Enter the first day of the term."]
    if not isinstance(end, dt.date):
        errors["end"] = ["Enter the last day of the term."]
    if isinstance(start, dt.date) and isinstance(end, dt.date):
        if end < start:
            errors["end"] = ["The last day of the term is before its first day."]
        elif (end - start).days > 200:
            errors["end"] = ["A term lasts at most 200 days: enter each term on its own."]
        else:
            clash = (
                SchoolTerm.objects.select_for_update()
                .filter(organisation_id=organisation_id, start__lte=end, end__gte=start)
                .first()
            )
            if clash is not None:
                errors["start"] = [
                    f"It overlaps “{clash.name}” ({clash.start:%-d %B %Y} to "
                    f"{clash.end:%-d %B %Y})."
                ]
    if SchoolTerm.objects.filter(organisation_id=organisation_id).count() >= MAX_TERMS:
        errors["__all__"] = [f"A service keeps at most {MAX_TERMS} terms: remove old ones."]
    if errors:
        only = next(iter(errors.values()))[0] if len(errors) == 1 else ""
        raise ValidationFailed(only or "The term could not be saved.", field_errors=errors)
    term = SchoolTerm.objects.create(
        organisation_id=organisation_id, name=name, start=start, end=end
    )
    audit_record(
        organisation_id=organisation_id,
        actor=actor,
        action="children.term_added",
        target=term,
        details={"term_id": term.pk, "start": start.isoformat(), "end": end.isoformat()},
    )
    return term


@transaction.atomic
def term_remove(*, actor: Any, term: SchoolTerm) -> None:
    from accord.organisations.selectors import is_service_admin

    if not is_service_admin(actor, term.organisation_id):
        raise NotFoundOrHidden("No such term.")
    audit_record(
        organisation_id=term.organisation_id,
        actor=actor,
        action="children.term_removed",
        target=term,
        details={"term_id": term.pk},
    )
    term.delete()


def terms_for(*, user: Any, organisation_id: int) -> list[SchoolTerm]:
    """The service's terms, for its staff."""
    from accord.organisations.selectors import staff_organisation_for

    organisation = staff_organisation_for(user)
    if organisation is None or organisation.pk != organisation_id:
        raise NotFoundOrHidden("No such service.")
    return list(SchoolTerm.objects.filter(organisation_id=organisation_id))
