"""Working days: weekends, UK bank holidays per region, and a service's own overrides.

A working day is a Monday to Friday that is neither a bank holiday of the region nor a closure of
the service. Bank holidays come from the `holidays` package (substitute days included), corrected
by `Override` entries. "Within N working days of X" does not count X: the deadline is the Nth
working day after X (`add_working_days`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from functools import cache, lru_cache
from types import MappingProxyType

import holidays

# The package loads all its ~280 country modules on the first lookup (0.1 to 0.4 s). Load them
# now, when the process starts, not inside the first write transaction that works out a
# deadline: on SQLite every other writer would wait for that import (issue 15, item 5).
import holidays.countries

from accord.calendar.arithmetic import london_date, london_wall_time
from accord.calendar.overrides import Override, OverrideKind
from accord.calendar.regions import DEFAULT_REGION, HOLIDAYS_SUBDIVISIONS, Region, validate_region

_ONE_DAY = dt.timedelta(days=1)


def _require_date(day: object, what: str = "day") -> dt.date:
    # datetime is a subclass of date but compares unequal to every date, so it would silently
    # miss every holiday; refuse it instead.
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        raise TypeError(f"{what} must be a datetime.date (not a datetime), got {day!r}.")
    return day


@lru_cache(maxsize=1024)
def package_bank_holidays(region: Region, year: int) -> Mapping[dt.date, str]:
    """Return the `holidays` package's bank holidays for one region and year (cached per pair).

    Includes holidays that fall at a weekend and the substitute ("observed") days that replace
    them. The mapping is read-only.
    """
    region = validate_region(region)
    # Ask for the neighbouring years too so that a substitute day crossing New Year is not lost.
    years = range(max(dt.MINYEAR, year - 1), min(dt.MAXYEAR, year + 1) + 1)
    found = holidays.country_holidays("GB", subdiv=HOLIDAYS_SUBDIVISIONS[region], years=years)
    return MappingProxyType(
        {day: str(name) for day, name in sorted(found.items()) if day.year == year}
    )


def _join(names: Mapping[dt.date, str], day: dt.date, name: str) -> str:
    existing = names.get(day)
    if not existing or not name or name == existing:
        return existing or name
    return f"{existing}; {name}"


class WorkingCalendar:
    """The working days of one region, with a service's overrides applied; immutable and hashable.

    Precedence on any date: Saturday and Sunday are never working days; a `closure` override is
    never a working day; otherwise the date is a working day unless it is a bank holiday, that is a
    package holiday or a `bank_holiday` override, and no `working_day` override cancels it.
    Overrides for another region are ignored, so a service may pass all of its entries.
    """

    __slots__ = ("_added", "_closures", "_overrides", "_region", "_removed")

    def __init__(self, region: str = DEFAULT_REGION, overrides: Iterable[Override] = ()) -> None:
        self._region: Region = validate_region(region)
        kept: list[Override] = []
        for entry in overrides:
            if not isinstance(entry, Override):
                raise TypeError(f"overrides must be Override entries, got {entry!r}.")
            if entry.applies_to(self._region):
                kept.append(entry)
        kept.sort(key=lambda o: (o.date, o.kind.value, o.region or "", o.name))
        self._overrides: tuple[Override, ...] = tuple(dict.fromkeys(kept))
        closures: dict[dt.date, str] = {}
        added: dict[dt.date, str] = {}
        removed: dict[dt.date, str] = {}
        by_kind = {
            OverrideKind.CLOSURE: closures,
            OverrideKind.BANK_HOLIDAY: added,
            OverrideKind.WORKING_DAY: removed,
        }
        for entry in self._overrides:
            names = by_kind[entry.kind]
            names[entry.date] = _join(names, entry.date, entry.name)
        self._closures = MappingProxyType(closures)
        self._added = MappingProxyType(added)
        self._removed = MappingProxyType(removed)

    @property
    def region(self) -> Region:
        """The region whose bank holidays this calendar uses."""
        return self._region

    @property
    def overrides(self) -> tuple[Override, ...]:
        """The overrides in effect (those for this region or for every region), sorted by date."""
        return self._overrides

    def with_overrides(self, overrides: Iterable[Override]) -> WorkingCalendar:
        """Return a new calendar for the same region with `overrides` added to the current ones."""
        return WorkingCalendar(self._region, (*self._overrides, *overrides))

    def __repr__(self) -> str:
        return f"WorkingCalendar({self._region!r}, overrides={list(self._overrides)!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorkingCalendar):
            return NotImplemented
        return (self._region, self._overrides) == (other._region, other._overrides)

    def __hash__(self) -> int:
        return hash((self._region, self._overrides))

    # Single days

    def bank_holiday_name(self, day: dt.date) -> str | None:
        """Return the name of the bank holiday on `day` after overrides, or None if there is none.

        Substitute days count; a `working_day` override cancels the holiday.
        """
        _require_date(day)
        if day in self._removed:
            return None
        added = self._added.get(day)
        if added is not None:
            return added or package_bank_holidays(self._region, day.year).get(day) or "Bank holiday"
        return package_bank_holidays(self._region, day.year).get(day)

    def is_bank_holiday(self, day: dt.date) -> bool:
        """Say whether `day` is a bank holiday in this region (weekend-dated ones included)."""
        return self.bank_holiday_name(day) is not None

    def closure_name(self, day: dt.date) -> str | None:
        """Return the name of the service closure on `day`, or None if the service is open."""
        _require_date(day)
        name = self._closures.get(day)
        if name is None:
            return None
        return name or "Service closure"

    def non_working_reason(self, day: dt.date) -> str | None:
        """Say why `day` is not a working day (weekend, bank holiday, closure), or None if it is."""
        _require_date(day)
        if day.weekday() >= 5:
            return f"{day:%A}"
        return self.bank_holiday_name(day) or self.closure_name(day)

    def is_working_day(self, day: dt.date) -> bool:
        """Say whether `day` is a working day: Monday to Friday, no bank holiday, no closure."""
        return self.non_working_reason(day) is None

    def bank_holidays(self, year: int) -> dict[dt.date, str]:
        """Return `year`'s bank holidays after overrides, by date, weekend-dated ones included."""
        days = set(package_bank_holidays(self._region, year)) | {
            day for day in self._added if day.year == year
        }
        result: dict[dt.date, str] = {}
        for day in sorted(days):
            name = self.bank_holiday_name(day)
            if name is not None:
                result[day] = name
        return result

    # Stepping

    def next_working_day(self, day: dt.date) -> dt.date:
        """Return the first working day strictly after `day`."""
        return self.add_working_days(day, 1)

    def previous_working_day(self, day: dt.date) -> dt.date:
        """Return the last working day strictly before `day`."""
        return self.add_working_days(day, -1)

    def working_day_on_or_after(self, day: dt.date) -> dt.date:
        """Return `day` if it is a working day, otherwise the next working day after it."""
        return day if self.is_working_day(day) else self.next_working_day(day)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """Return the Nth working day after `start`, not counting `start` ("within N working days").

        n=0 returns `start` unchanged, even if it is not a working day. Negative n counts back: the
        |n|th working day before `start`, again not counting `start`.
        """
        _require_date(start, "start")
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError(f"n must be an int, got {n!r}.")
        step = _ONE_DAY if n >= 0 else -_ONE_DAY
        day = start
        for _ in range(abs(n)):
            day += step
            while not self.is_working_day(day):
                day += step
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Count the working days after `start` up to and including `end` (negative if end < start).

        For n >= 0, working_days_between(x, add_working_days(x, n)) == n, and the count is
        antisymmetric: working_days_between(a, b) == -working_days_between(b, a).
        """
        _require_date(start, "start")
        _require_date(end, "end")
        if end < start:
            return -self.working_days_between(end, start)
        weekdays = _weekdays_up_to(end) - _weekdays_up_to(start)
        return weekdays - sum(1 for _ in self._weekday_non_working_days(start, end))

    def _weekday_non_working_days(self, after: dt.date, up_to: dt.date) -> Iterator[dt.date]:
        candidates: set[dt.date] = set(self._closures) | set(self._added)
        for year in range(after.year, up_to.year + 1):
            candidates.update(package_bank_holidays(self._region, year))
        for day in candidates:
            if after < day <= up_to and day.weekday() < 5 and not self.is_working_day(day):
                yield day

    def next_working_day_at(self, moment: dt.datetime, at: dt.time) -> dt.datetime:
        """Return wall time `at` on the first working day after `moment`'s Europe/London date.

        `moment` must be aware (ValueError if naive); `at` is a naive Europe/London wall time. The
        result is aware, in Europe/London, with the offset in force that day (GMT or BST). Clocks
        only change on Sundays, which are never working days, so `at` always exists exactly once.
        """
        if not isinstance(moment, dt.datetime):
            raise TypeError(f"moment must be an aware datetime, got {moment!r}.")
        return london_wall_time(self.next_working_day(london_date(moment)), at)


def _weekdays_up_to(day: dt.date) -> int:
    # Ordinal 1 (1 January of year 1) was a Monday, so every block of 7 ordinals holds 5 weekdays.
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


@cache
def default_calendar(region: str = DEFAULT_REGION) -> WorkingCalendar:
    """Return the shared calendar for `region` with bank holidays only and no overrides."""
    return WorkingCalendar(validate_region(region))


def resolve_calendar(
    region: str | None = None,
    *,
    calendar: WorkingCalendar | None = None,
    overrides: Iterable[Override] | None = None,
) -> WorkingCalendar:
    """Pick the calendar a convenience function uses: `calendar`, or `region` plus `overrides`.

    region defaults to England and Wales (or to `calendar`'s region). Passing both `calendar` and
    `overrides`, or a `region` different from `calendar.region`, raises ValueError.
    """
    if calendar is not None:
        if overrides is not None:
            raise ValueError("Pass either calendar= or overrides=, not both.")
        if region is not None and validate_region(region) != calendar.region:
            raise ValueError(
                f"region {region!r} does not match the calendar's region {calendar.region!r}."
            )
        return calendar
    chosen = validate_region(DEFAULT_REGION if region is None else region)
    if overrides is None:
        return default_calendar(chosen)
    return WorkingCalendar(chosen, overrides)


def is_working_day(
    day: dt.date,
    region: str | None = None,
    *,
    calendar: WorkingCalendar | None = None,
    overrides: Iterable[Override] | None = None,
) -> bool:
    """Say whether `day` is a working day: not a weekend, bank holiday of `region`, or closure."""
    return resolve_calendar(region, calendar=calendar, overrides=overrides).is_working_day(day)


def is_bank_holiday(
    day: dt.date,
    region: str | None = None,
    *,
    calendar: WorkingCalendar | None = None,
    overrides: Iterable[Override] | None = None,
) -> bool:
    """Say whether `day` is a bank holiday of `region` (after overrides), even at a weekend."""
    return resolve_calendar(region, calendar=calendar, overrides=overrides).is_bank_holiday(day)


def add_working_days(
    start: dt.date,
    n: int,
    region: str | None = None,
    *,
    calendar: WorkingCalendar | None = None,
    overrides: Iterable[Override] | None = None,
) -> dt.date:
    """Return the Nth working day after `start`, not counting `start` ("within N working days").

    n=0 returns `start` unchanged; negative n counts back the same way (the |n|th working day
    before `start`).
    """
    cal = resolve_calendar(region, calendar=calendar, overrides=overrides)
    return cal.add_working_days(start, n)


def next_working_day(
    day: dt.date,
    region: str | None = None,
    *,
    calendar: WorkingCalendar | None = None,
    overrides: Iterable[Override] | None = None,
) -> dt.date:
    """Return the first working day strictly after `day`."""
    return resolve_calendar(region, calendar=calendar, overrides=overrides).next_working_day(day)


def previous_working_day(
    day: dt.date,
    region: str | None = None,
    *,
    calendar: WorkingCalendar | None = None,
    overrides: Iterable[Override] | None = None,
) -> dt.date:
    """Return the last working day strictly before `day`."""
    cal = resolve_calendar(region, calendar=calendar, overrides=overrides)
    return cal.previous_working_day(day)


def working_day_on_or_after(
    day: dt.date,
    region: str | None = None,
    *,
    calendar: WorkingCalendar | None = None,
    overrides: Iterable[Override] | None = None,
) -> dt.date:
    """Return `day` if it is a working day, otherwise the next one (to roll a date forward)."""
    cal = resolve_calendar(region, calendar=calendar, overrides=overrides)
    return cal.working_day_on_or_after(day)


def working_days_between(
    start: dt.date,
    end: dt.date,
    region: str | None = None,
    *,
    calendar: WorkingCalendar | None = None,
    overrides: Iterable[Override] | None = None,
) -> int:
    """Count the working days after `start` up to and including `end` (negative if end < start)."""
    cal = resolve_calendar(region, calendar=calendar, overrides=overrides)
    return cal.working_days_between(start, end)


def next_working_day_at(
    moment: dt.datetime,
    at: dt.time,
    region: str | None = None,
    *,
    calendar: WorkingCalendar | None = None,
    overrides: Iterable[Override] | None = None,
) -> dt.datetime:
    """Return wall time `at` on the first working day after `moment`'s Europe/London date.

    `moment` must be aware (ValueError if naive); the result is aware and in Europe/London.
    """
    cal = resolve_calendar(region, calendar=calendar, overrides=overrides)
    return cal.next_working_day_at(moment, at)
