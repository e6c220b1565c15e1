"""Reads about deadlines, rules and working calendars, always through the deadline policy."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from accord.calendar import (
    LONDON,
    Override,
    OverrideKind,
    WorkingCalendar,
    london_wall_time,
    validate_region,
)
from accord.cases.models import Case
from accord.core.errors import NotFoundOrHidden
from accord.deadlines import policy
from accord.deadlines.models import (
    CalendarOverride,
    Deadline,
    DeadlineRule,
    DeadlineStatus,
)
from accord.organisations.models import Organisation

# Working calendars are cached per process for a short while: building one needs a query, and a
# change made through the services clears the cache at once. Other processes (the worker) see a
# change within CALENDAR_CACHE_SECONDS.
CALENDAR_CACHE_SECONDS = 60.0
_calendar_cache: dict[tuple[int, str, str], tuple[float, WorkingCalendar]] = {}
_calendar_lock = threading.Lock()


def forget_calendars() -> None:
    """Drop every cached working calendar (after an override is added, removed or imported)."""
    with _calendar_lock:
        _calendar_cache.clear()


def calendar_overrides_for(organisation: Organisation) -> QuerySet[CalendarOverride]:
    """The override rows that shape a service's calendar: its own and the national ones."""
    return CalendarOverride.objects.filter(
        Q(organisation=organisation) | Q(organisation__isnull=True)
    ).filter(Q(region="") | Q(region=organisation.region))


def calendar_for(organisation: Organisation) -> WorkingCalendar:
    """A service's working calendar: its region's bank holidays plus the overrides that apply."""
    # created_at is part of the key so that a reused primary key (tests) never meets a stale entry.
    key = (organisation.pk, organisation.region, organisation.created_at.isoformat())
    now = time.monotonic()
    with _calendar_lock:
        hit = _calendar_cache.get(key)
    if hit is not None and now - hit[0] < CALENDAR_CACHE_SECONDS:
        return hit[1]
    overrides = [
        Override(
            date=day,
            kind=OverrideKind(kind),
            region=validate_region(region) if region else None,
            name=name,
        )
        for day, kind, region, name in calendar_overrides_for(organisation).values_list(
            "date", "kind", "region", "name"
        )
    ]
    working = WorkingCalendar(organisation.region, overrides)
    with _calendar_lock:
        _calendar_cache[key] = (now, working)
    return working


def rule_in_force(*, organisation: Organisation, code: str, on: dt.date) -> DeadlineRule | None:
    """The rule row in force for a code on a date: the service's own row first, then national."""
    return (
        DeadlineRule.objects.filter(code=code, effective_from__lte=on)
        .filter(Q(organisation=organisation) | Q(organisation__isnull=True))
        .order_by(F("organisation_id").desc(nulls_last=True), "-effective_from", "-id")
        .first()
    )


def due_for_rule(*, case: Case, rule_code: str, start: dt.datetime) -> dt.datetime | None:
    """When a deadline of this rule, its clock starting at `start`, would fall due on the case:
    what `services.deadline_create` sets, worked out without writing (so a document that
    states it can be rendered before the transaction that creates the deadline). None when no
    rule was in force when the case opened, or the rule cannot be applied."""
    from accord.calendar import london_date
    from accord.deadlines import conf
    from accord.deadlines.due import compute_due

    rule = rule_in_force(
        organisation=case.organisation, code=rule_code, on=london_date(case.opened_at)
    )
    if rule is None:
        return None
    try:
        return compute_due(
            unit=rule.unit,
            period=rule.period,
            at_time=rule.at_time,
            start=start,
            calendar=calendar_for(case.organisation),
            default_time=conf.default_due_time(),
        )
    except (ValueError, OverflowError):
        return None


def rules_for_service(*, organisation: Organisation) -> QuerySet[DeadlineRule]:
    """Every rule row a service may be governed by: national rows and its own, newest first."""
    return (
        DeadlineRule.objects.filter(Q(organisation=organisation) | Q(organisation__isnull=True))
        .select_related("organisation")
        .order_by("code", F("organisation_id").desc(nulls_last=True), "-effective_from")
    )


def rule_codes() -> list[tuple[str, str]]:
    """The national rule codes with their labels (the codes a service may override)."""
    seen: dict[str, str] = {}
    for code, label in (
        DeadlineRule.objects.filter(organisation__isnull=True)
        .order_by("code", "-effective_from")
        .values_list("code", "label")
    ):
        seen.setdefault(code, label)
    return list(seen.items())


def closures_for_service(*, organisation: Organisation) -> QuerySet[CalendarOverride]:
    """A service's own closures and corrections, soonest first."""
    return CalendarOverride.objects.filter(organisation=organisation).order_by("date", "kind")


def _with_related(qs: QuerySet[Deadline]) -> QuerySet[Deadline]:
    return qs.select_related("case", "case__organisation", "owner", "concerns_participant", "rule")


def deadlines_visible_to(user: Any) -> QuerySet[Deadline]:
    """Every deadline a member of staff may see (the whole service for its readers)."""
    return _with_related(Deadline.objects.filter(policy.staff_filter(user)))


def deadline_get_for(*, user: Any, deadline_id: Any) -> Deadline:
    """One deadline a member of staff may see; 404 for anything else, including bad ids."""
    try:
        return deadlines_visible_to(user).get(pk=int(deadline_id))
    except (Deadline.DoesNotExist, ValueError, TypeError):
        raise NotFoundOrHidden("No such deadline.") from None


@dataclass(frozen=True)
class DeadlineRow:
    """A deadline as one member of staff sees it in a list, with what they may do to it."""

    deadline: Deadline
    can_resolve: bool
    is_mine: bool
    is_overdue: bool


def _rows(user: Any, deadlines: list[Deadline], now: dt.datetime) -> list[DeadlineRow]:
    user_id = getattr(user, "pk", None)
    return [
        DeadlineRow(
            deadline=d,
            can_resolve=d.is_open and policy.can_resolve(user, d),
            is_mine=d.owner_id == user_id,
            is_overdue=d.status == DeadlineStatus.MISSED
            or (d.status == DeadlineStatus.OPEN and d.due_at <= now),
        )
        for d in deadlines
    ]


@dataclass(frozen=True)
class DashboardDeadlines:
    """The staff dashboard panel: overdue deadlines and those due in the coming week."""

    overdue: list[DeadlineRow]
    due_soon: list[DeadlineRow]
    more_overdue: int = 0
    more_due_soon: int = 0


#: How far back missed deadlines stay on the dashboard, and how many rows each list shows.
DASHBOARD_MISSED_DAYS = 30
DASHBOARD_LIMIT = 20


def deadlines_for_dashboard(user: Any, *, now: dt.datetime | None = None) -> DashboardDeadlines:
    """Overdue (open past due, or missed in the last 30 days) and due in the next 7 days."""
    now = now or timezone.now()
    visible = deadlines_visible_to(user)
    overdue_qs = visible.filter(
        Q(status=DeadlineStatus.OPEN, due_at__lte=now)
        | Q(
            status=DeadlineStatus.MISSED, due_at__gte=now - dt.timedelta(days=DASHBOARD_MISSED_DAYS)
        )
    ).order_by("due_at", "id")
    soon_qs = visible.filter(
        status=DeadlineStatus.OPEN, due_at__gt=now, due_at__lte=now + dt.timedelta(days=7)
    ).order_by("due_at", "id")
    overdue = list(overdue_qs[: DASHBOARD_LIMIT + 1])
    soon = list(soon_qs[: DASHBOARD_LIMIT + 1])
    # Role and team checks are cached on the user, so the per-row checks add no queries.
    return DashboardDeadlines(
        overdue=_rows(user, overdue[:DASHBOARD_LIMIT], now),
        due_soon=_rows(user, soon[:DASHBOARD_LIMIT], now),
        more_overdue=overdue_qs.count() - DASHBOARD_LIMIT if len(overdue) > DASHBOARD_LIMIT else 0,
        more_due_soon=soon_qs.count() - DASHBOARD_LIMIT if len(soon) > DASHBOARD_LIMIT else 0,
    )


def deadlines_for_case(
    user: Any, case: Case, *, now: dt.datetime | None = None
) -> list[DeadlineRow]:
    """The deadlines on one case this member of staff may see, open ones first."""
    now = now or timezone.now()
    deadlines = list(
        deadlines_visible_to(user)
        .filter(case_id=case.pk)
        .order_by(F("resolved_at").desc(nulls_first=True), "due_at", "id")
    )
    return _rows(user, deadlines, now)


def deadlines_for_participant(user: Any, case: Case) -> list[Deadline]:
    """The deadlines a portal participant may see on their case: only those shared with them."""
    return list(
        Deadline.objects.filter(policy.participant_filter(user), case_id=case.pk)
        .only("id", "title", "due_at", "status", "case_id")
        .order_by("due_at", "id")
    )


class BadMonth(ValueError):
    """A month parameter that is not a real month in Accord's range."""


def parse_month(raw: str | None, *, today: dt.date | None = None) -> dt.date:
    """The first day of the month named by "YYYY-MM"; today's month when empty."""
    if not raw:
        day = today or timezone.localdate()
        return day.replace(day=1)
    text = raw.strip()
    parts = text.split("-")
    if (
        len(parts) != 2
        or len(parts[0]) != 4
        or len(parts[1]) != 2
        or not text.replace("-", "").isdigit()
    ):
        raise BadMonth(f"“{raw}” is not a month. Use the form YYYY-MM, for example 2026-12.")
    year, month = int(parts[0]), int(parts[1])
    if not 1 <= month <= 12:
        raise BadMonth(f"“{raw}” is not a month: the month must be between 01 and 12.")
    if not 2000 <= year <= 2100:
        raise BadMonth(f"“{raw}” is outside the calendar: choose a year from 2000 to 2100.")
    return dt.date(year, month, 1)


@dataclass
class CalendarDay:
    """One day cell of the month calendar."""

    date: dt.date
    in_month: bool
    is_today: bool
    non_working_reason: str | None
    deadlines: list[DeadlineRow] = field(default_factory=list)
    #: Deadlines due that day beyond those shown (see CALENDAR_PER_DAY).
    more: int = 0


@dataclass
class MonthCalendar:
    """A month of deadlines laid out in weeks from Monday to Sunday."""

    first: dt.date
    weeks: list[list[CalendarDay]]
    previous: dt.date
    next: dt.date
    count: int
    #: Every deadline of one chosen day (the "N more" link), or None.
    day: dt.date | None = None
    day_deadlines: list[DeadlineRow] = field(default_factory=list)


#: How many deadlines a day cell of the month calendar lists before "N more".
CALENDAR_PER_DAY = 3


def deadlines_for_month(
    user: Any,
    first: dt.date,
    *,
    organisation: Organisation | None = None,
    day: dt.date | None = None,
) -> MonthCalendar:
    """The deadlines a member of staff may see that fall due in one month, by day.

    A day cell lists its first CALENDAR_PER_DAY deadlines and says how many more there are;
    `day` (a day of the month) lists all of that day's. With thousands of deadlines in a month
    the page stays small: one light pass over the month's (id, due) pairs on the index, then
    the shown deadlines with what they need.
    """
    last_day = pycalendar.monthrange(first.year, first.month)[1]
    start = london_wall_time(first, dt.time(0, 0))
    end = london_wall_time(first.replace(day=last_day) + dt.timedelta(days=1), dt.time(0, 0))
    now = timezone.now()
    visible = Deadline.objects.filter(policy.staff_filter(user))
    month_rows = visible.filter(due_at__gte=start, due_at__lt=end).order_by("due_at", "id")
    shown_ids: list[int] = []
    totals: dict[dt.date, int] = {}
    every_id_of_day: list[int] = []
    for pk, due_at in month_rows.values_list("id", "due_at"):
        date = due_at.astimezone(LONDON).date()
        totals[date] = totals.get(date, 0) + 1
        if totals[date] <= CALENDAR_PER_DAY:
            shown_ids.append(pk)
        if date == day:
            every_id_of_day.append(pk)
    wanted = set(shown_ids) | set(every_id_of_day)
    loaded = {d.pk: d for d in _with_related(Deadline.objects.filter(pk__in=wanted))}
    by_day: dict[dt.date, list[DeadlineRow]] = {}
    for row in _rows(user, [loaded[pk] for pk in shown_ids if pk in loaded], now):
        by_day.setdefault(row.deadline.due_at.astimezone(LONDON).date(), []).append(row)
    day_rows = _rows(user, [loaded[pk] for pk in every_id_of_day if pk in loaded], now)
    working = calendar_for(organisation) if organisation is not None else None
    today = timezone.localdate()
    weeks: list[list[CalendarDay]] = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        weeks.append(
            [
                CalendarDay(
                    date=date,
                    in_month=date.month == first.month,
                    is_today=date == today,
                    non_working_reason=working.non_working_reason(date) if working else None,
                    deadlines=by_day.get(date, []) if date.month == first.month else [],
                    more=max(0, totals.get(date, 0) - CALENDAR_PER_DAY)
                    if date.month == first.month
                    else 0,
                )
                for date in week
            ]
        )
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = first.replace(day=last_day) + dt.timedelta(days=1)
    return MonthCalendar(
        first=first,
        weeks=weeks,
        previous=previous,
        next=following,
        count=sum(totals.values()),
        day=day if day is not None and (day.year, day.month) == (first.year, first.month) else None,
        day_deadlines=day_rows,
    )
