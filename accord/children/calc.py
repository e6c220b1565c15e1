"""The one adapter between the children app and the pure calculators.

`accord.timeshare` (schedules into nights and hours) and `accord.maintenance` (the 2012 child
maintenance scheme) are written separately; every call to them is here, so that if their final
interface differs the merger changes this file only. No Django import.

Until `accord.timeshare` is installed, `split` falls back to a plain rotation-with-holidays count
of overnights (`_rotation_split`), enough for the calendar, the comparison and the plan; it is
marked as such (`Split.engine`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CARERS = ("A", "B")

#: The named 14-day patterns (DOMAIN.md section 8), used when accord.timeshare is missing.
FALLBACK_PATTERNS: dict[str, tuple[str, str]] = {
    "alternating_weeks": ("Alternating weeks", "AAAAAAABBBBBBB"),
    "2-2-3": ("2-2-3", "AABBAAABBAABBB"),
    "2-2-5-5": ("2-2-5-5", "AABBAAAAABBBBB"),
    "3-4-4-3": ("3-4-4-3", "AAABBBBAAAABBB"),
    "every_other_weekend_fri_mon": (
        "Every other weekend, Friday to Monday morning",
        "AAAABBBAAAAAAA",
    ),
    "every_other_weekend_fri_sun": (
        "Every other weekend, Friday to Sunday",
        "AAAABBAAAAAAAA",
    ),
    "every_weekend": ("Every weekend", "AAAABBAAAABBAA"),
}


class ScheduleError(ValueError):
    """A schedule that cannot be computed; the message is shown to the user."""


@dataclass(frozen=True)
class HolidayRule:
    """A period each year ("MM-DD" to "MM-DD", inclusive nights) that overrides the rotation.

    rule "alternate": `even_years` has it in even years, the other parent in odd years;
    rule "fixed": `even_years` has it every year.
    """

    name: str
    start: str
    end: str
    rule: str
    even_years: str

    def carer_on(self, day: dt.date) -> str | None:
        start = _month_day(self.start)
        end = _month_day(self.end)
        key = (day.month, day.day)
        inside = start <= key <= end if start <= end else (key >= start or key <= end)
        if not inside:
            return None
        if self.rule == "fixed":
            return self.even_years
        # A break crossing the new year belongs to the year it starts in.
        year = day.year if not (start > end and key <= end) else day.year - 1
        other = "B" if self.even_years == "A" else "A"
        return self.even_years if year % 2 == 0 else other


def _month_day(text: str) -> tuple[int, int]:
    try:
        month, day = (int(x) for x in text.split("-"))
        dt.date(2024, month, day)
    except (ValueError, TypeError):
        raise ScheduleError(f"{text!r} is not a day of the year (MM-DD).") from None
    return month, day


@dataclass
class Split:
    """Who has the child each night of a period, and the overnights per parent."""

    start: dt.date
    end: dt.date
    days: dict[dt.date, str]
    nights: dict[str, int] = field(default_factory=dict)
    hours: dict[str, Decimal] | None = None
    engine: str = "rotation"
    #: Hours at school (third-party time) when school hours are left out, and the school days.
    school_hours: Decimal = Decimal("0")
    school_days: frozenset[dt.date] = frozenset()

    def percent(self, carer: str) -> Decimal:
        total = sum(self.nights.values())
        if not total:
            return Decimal("0")
        value = Decimal(self.nights.get(carer, 0) * 100) / Decimal(total)
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def check_rotation(rotation: Sequence[str]) -> None:
    if not rotation:
        raise ScheduleError("A rotation needs at least one day.")
    if len(rotation) > 56:
        raise ScheduleError("A rotation lasts at most 56 days.")
    if any(day not in CARERS for day in rotation):
        raise ScheduleError("Each day of the rotation is A (first parent) or B (second parent).")


def _rotation_split(
    rotation: Sequence[str],
    anchor: dt.date,
    holidays: Sequence[HolidayRule],
    start: dt.date,
    end: dt.date,
) -> Split:
    check_rotation(rotation)
    if end < start:
        raise ScheduleError("The end of the period is before its start.")
    if start < anchor:
        raise ScheduleError("The period starts before the schedule's anchor date.")
    days: dict[dt.date, str] = {}
    nights = dict.fromkeys(CARERS, 0)
    day = start
    while day <= end:
        carer = rotation[(day - anchor).days % len(rotation)]
        for rule in holidays:
            override = rule.carer_on(day)
            if override is not None:
                carer = override
                break
        days[day] = carer
        nights[carer] += 1
        day += dt.timedelta(days=1)
    return Split(start=start, end=end, days=days, nights=nights)


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Term:
    """A school term of the service (inclusive dates): school days are Monday to Friday in it."""

    name: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class ExceptionDay:
    """A single date whose night goes to `carer`, whatever the rotation or holidays say."""

    on: dt.date
    carer: str
    note: str = ""


def split(
    *,
    rotation: Sequence[str],
    anchor: dt.date,
    handover: dt.time,
    holidays: Sequence[HolidayRule],
    start: dt.date,
    end: dt.date,
    handovers: Sequence[tuple[int, dt.time]] = (),
    exceptions: Sequence[ExceptionDay] = (),
    terms: Sequence[Term] = (),
    exclude_school_hours: bool = False,
) -> Split:
    """Who has the child each night from `start` to `end` (inclusive), and the totals.

    `handovers` moves the exchanges of given weekdays (0 Monday) to their own time;
    `exceptions` give single dates to one parent; `terms` are the service's school terms, and
    with `exclude_school_hours` the school day on school days counts for neither parent's hours.
    """
    try:
        from accord import timeshare
    except ImportError:
        if handovers or exceptions or terms:
            raise ScheduleError("The time-share calculator is not installed.") from None
        return _rotation_split(rotation, anchor, holidays, start, end)
    check_rotation(rotation)  # the same message whichever engine runs
    if start < anchor:
        raise ScheduleError("The period starts before the schedule's anchor date.")
    for exc in exceptions:
        if exc.on < anchor:
            raise ScheduleError(
                f"The exception on {exc.on:%-d %B %Y} is before the schedule's anchor date "
                f"({anchor:%-d %B %Y})."
            )
    try:
        schedule = timeshare.Schedule(
            timeshare.Rotation(days=tuple(rotation), label="custom"),
            anchor=anchor,
            handover_time=handover,
            holidays=tuple(
                timeshare.HolidayRule(**_holiday_kwargs(rule, anchor.year)) for rule in holidays
            ),
            handovers=tuple(timeshare.Handover(day, time) for day, time in handovers),
            exceptions=tuple(
                timeshare.Exception_(on=e.on, carer=e.carer, note=e.note) for e in exceptions
            ),
            terms=tuple(timeshare.Term(t.start, t.end, name=t.name) for t in terms),
            exclude_school_hours=exclude_school_hours and bool(terms),
        )
        result = timeshare.compute(schedule, start, end, children=1)
    except timeshare.TimeshareError as exc:
        raise ScheduleError(_weekday_names(str(exc))) from exc
    days: dict[dt.date, str] = {}
    nights = dict.fromkeys(CARERS, 0)
    day = start
    while day <= end:
        carer = str(result.carer_on(day))
        days[day] = carer
        nights[carer] = nights.get(carer, 0) + 1
        day += dt.timedelta(days=1)
    child = result[1]
    hours = {
        carer: Decimal(child[carer].hours.numerator) / Decimal(child[carer].hours.denominator)
        for carer in CARERS
    }
    hours = {k: v.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) for k, v in hours.items()}
    school = Decimal(child.third_party_hours.numerator) / child.third_party_hours.denominator
    return Split(
        start=start,
        end=end,
        days=days,
        nights=nights,
        hours=hours,
        engine="timeshare",
        school_hours=school.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
        school_days=frozenset(d.date for d in result.days if d.school),
    )


def _weekday_names(message: str) -> str:
    """timeshare names weekdays by number ("weekday 4"); the pages name them."""
    for n, name in enumerate(WEEKDAYS):
        message = message.replace(f"weekday {n} ", f"{name} ")
    return message


def _holiday_kwargs(rule: HolidayRule, year: int) -> dict[str, Any]:
    """A stored yearly holiday (MM-DD to MM-DD) as accord.timeshare.HolidayRule arguments.

    The stored rule names days of the year; timeshare's names dates and repeats them with
    `yearly=True`. A break crossing the new year ends in the next year and, as here, belongs to
    the year it starts in. "alternate": `even_years` has it in even years, the other parent in
    odd years; "fixed": `even_years` has it every year.
    """
    start_md = _month_day(rule.start)
    end_md = _month_day(rule.end)
    start = dt.date(year, *start_md)
    end = dt.date(year + (1 if end_md < start_md else 0), *end_md)
    kwargs: dict[str, Any] = {"name": rule.name, "start": start, "end": end, "yearly": True}
    if rule.rule == "fixed":
        kwargs["carer"] = rule.even_years
    else:
        other = "B" if rule.even_years == "A" else "A"
        kwargs["alternate"] = (rule.even_years, other)
    return kwargs


def patterns() -> dict[str, tuple[str, str]]:
    """The named patterns: code -> (label, rotation letters)."""
    try:
        from accord import timeshare
    except ImportError:
        return dict(FALLBACK_PATTERNS)
    found: dict[str, tuple[str, str]] = {}
    for code, rotation in timeshare.PATTERNS.items():
        found[code] = (str(getattr(rotation, "label", code)), "".join(rotation.days))
    return found or dict(FALLBACK_PATTERNS)


# Child maintenance -------------------------------------------------------------------------------


class EstimateUnavailable(RuntimeError):
    """accord.maintenance is not installed yet."""


@dataclass(frozen=True)
class Estimate:
    weekly: Decimal
    monthly: Decimal
    yearly: Decimal
    band: str
    steps: list[str]
    rules: list[str]
    collect_and_pay: dict[str, str]


class EstimateError(ValueError):
    """Input the calculator refuses; the message is shown to the user."""


def maintenance(
    *,
    gross_weekly_income: Decimal,
    qualifying_children: int,
    other_children: int,
    nights: Sequence[int],
    on: dt.date | None = None,
) -> Estimate:
    """The weekly, monthly and yearly estimate, with its steps and the source of each rule."""
    try:
        from accord import maintenance as scheme
    except ImportError:
        raise EstimateUnavailable(
            "The child maintenance calculator is not installed yet."
        ) from None
    try:
        result = scheme.weekly_maintenance(
            gross_weekly_income,
            qualifying_children,
            other_children=other_children,
            nights=list(nights),
            on=on,
        )
    except scheme.MaintenanceError as exc:
        raise EstimateError(str(exc)) from exc
    cap = result.collect_and_pay
    # Collect and Pay, a week: the paying parent pays 20% more, the receiving parent gets 4% less.
    fees = {
        "paying parent pays a week (with the 20% fee)": f"£{cap.paying_total:,.2f}",
        "receiving parent gets a week (after the 4% fee)": f"£{cap.receiving_total:,.2f}",
    }
    rules = [
        f"{result.rules.source} (figures in force from {result.rules.valid_from:%-d %B %Y})",
        result.estimate_note,
    ]
    return Estimate(
        weekly=Decimal(result.weekly),
        monthly=Decimal(result.monthly),
        yearly=Decimal(result.yearly),
        band=str(result.band),
        steps=[str(s) for s in result.steps],
        rules=rules,
        collect_and_pay=fees,
    )
