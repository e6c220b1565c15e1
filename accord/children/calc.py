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


def split(
    *,
    rotation: Sequence[str],
    anchor: dt.date,
    handover: dt.time,
    holidays: Sequence[HolidayRule],
    start: dt.date,
    end: dt.date,
) -> Split:
    """Who has the child each night from `start` to `end` (inclusive), and the totals."""
    try:
        from accord import timeshare  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return _rotation_split(rotation, anchor, holidays, start, end)
    check_rotation(rotation)  # the same message whichever engine runs
    if start < anchor:
        raise ScheduleError("The period starts before the schedule's anchor date.")
    try:
        schedule = timeshare.Schedule(
            timeshare.Rotation(days=tuple(rotation), label="custom"),
            anchor=anchor,
            handover_time=handover,
            holidays=tuple(timeshare.HolidayRule(**_holiday_kwargs(rule)) for rule in holidays),
        )
        result = timeshare.compute(schedule, start, end, children=1)
    except timeshare.TimeshareError as exc:
        raise ScheduleError(str(exc)) from exc
    except TypeError:
        # The real HolidayRule differs from the guess below: count with the fallback.
        return _rotation_split(rotation, anchor, holidays, start, end)
    days: dict[dt.date, str] = {}
    nights = dict.fromkeys(CARERS, 0)
    day = start
    while day <= end:
        carer = str(result.carer_on(day))
        days[day] = carer
        nights[carer] = nights.get(carer, 0) + 1
        day += dt.timedelta(days=1)
    return Split(start=start, end=end, days=days, nights=nights, engine="timeshare")


def _holiday_kwargs(rule: HolidayRule) -> dict[str, Any]:
    """The merger's one place to map a stored holiday rule onto accord.timeshare.HolidayRule."""
    return {
        "name": rule.name,
        "start": rule.start,
        "end": rule.end,
        "rule": rule.rule,
        "even_years": rule.even_years,
    }


def patterns() -> dict[str, tuple[str, str]]:
    """The named patterns: code -> (label, rotation letters)."""
    try:
        from accord import timeshare  # type: ignore[attr-defined,unused-ignore]
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
        from accord import maintenance as scheme  # type: ignore[attr-defined,unused-ignore]
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
    if isinstance(cap, dict):
        fees = {str(k): str(v) for k, v in cap.items()}
    else:
        fees = {
            k: str(getattr(cap, k))
            for k in ("paying_parent_pays", "receiving_parent_gets")
            if hasattr(cap, k)
        } or {"summary": str(cap)}
    rules = result.rules
    return Estimate(
        weekly=Decimal(result.weekly),
        monthly=Decimal(result.monthly),
        yearly=Decimal(result.yearly),
        band=str(result.band),
        steps=[str(s) for s in result.steps],
        rules=[str(r) for r in rules] if isinstance(rules, (list, tuple)) else [str(rules)],
        collect_and_pay=fees,
    )
