"""Calendar arithmetic in Europe/London: days, weeks and month-end-clamped months, DST-safe.

Dates are plain calendar arithmetic. Aware datetimes are shifted on the Europe/London wall clock, so
10:00 stays 10:00 across a clock change, and the result is returned in Europe/London. Where the
shifted wall time does not exist or happens twice, it is resolved as described in `london_wall_time`
(the starting moment's `fold` is carried over, so shifting by zero returns the same instant).
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from typing import Final, overload
from zoneinfo import ZoneInfo

LONDON: Final[ZoneInfo] = ZoneInfo("Europe/London")
"""The only time zone Accord's rules are stated in."""

_UTC: Final = dt.UTC


def require_aware(moment: dt.datetime, what: str = "moment") -> dt.datetime:
    """Return `moment` unchanged if it is timezone-aware; raise ValueError for a naive datetime."""
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        raise ValueError(
            f"{what} must be a timezone-aware datetime, got naive {moment.isoformat()}; "
            "attach a time zone (Accord works in Europe/London)."
        )
    return moment


def to_london(moment: dt.datetime) -> dt.datetime:
    """Convert an aware datetime to Europe/London; raise ValueError for a naive one."""
    return require_aware(moment).astimezone(LONDON)


def london_date(moment: dt.datetime) -> dt.date:
    """Return the Europe/London calendar date of an aware moment (the date deadline rules use)."""
    return to_london(moment).date()


def london_wall_time(day: dt.date, at: dt.time) -> dt.datetime:
    """Return wall time `at` on `day` as an aware Europe/London datetime, DST edges resolved.

    - A wall time that happens twice (clocks go back, 01:00-01:59 on the last Sunday of October)
      resolves to the first occurrence, still on BST, unless `at.fold` is 1 (the second, GMT).
    - A wall time that does not exist (clocks go forward, 01:00-01:59 on the last Sunday of March)
      is moved forward by the length of the gap: 01:30 becomes 02:30 BST, the same instant as
      01:30 GMT. The result is never earlier than the wall time asked for.
    `at` must be naive (it is a Europe/London wall time); an aware `at` raises ValueError.
    """
    if at.tzinfo is not None:
        raise ValueError(f"`at` must be a naive wall-clock time in Europe/London, got {at!r}.")
    wall = dt.datetime.combine(day, at, tzinfo=LONDON)
    resolved = wall.astimezone(_UTC).astimezone(LONDON)
    if resolved.replace(tzinfo=None) != wall.replace(tzinfo=None):
        # Only a time in the spring gap fails the round trip. With fold=0 zoneinfo applies the
        # offset in force before the gap (GMT), which lands after the gap: "move forward".
        resolved = wall.replace(fold=0).astimezone(_UTC).astimezone(LONDON)
    return resolved


def _shift_wall_clock(moment: dt.datetime, delta_days: int) -> dt.datetime:
    local = to_london(moment)
    # The local time keeps its fold, so a zero shift returns the same instant.
    return london_wall_time(local.date() + dt.timedelta(days=delta_days), local.time())


def _add_months_to_date(day: dt.date, n: int) -> dt.date:
    months = day.year * 12 + (day.month - 1) + n
    year, month_index = divmod(months, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise OverflowError(f"{day.isoformat()} plus {n} months is outside the supported years.")
    month = month_index + 1
    return dt.date(year, month, min(day.day, monthrange(year, month)[1]))


@overload
def add_days(day: dt.datetime, n: int) -> dt.datetime: ...
@overload
def add_days(day: dt.date, n: int) -> dt.date: ...
def add_days(day: dt.date, n: int) -> dt.date:
    """Add `n` calendar days ("N days" in a rule); datetimes keep their Europe/London wall time.

    `n` may be negative or zero. A datetime must be aware; the result is in Europe/London.
    """
    if isinstance(day, dt.datetime):
        return _shift_wall_clock(day, n)
    return day + dt.timedelta(days=n)


@overload
def add_weeks(day: dt.datetime, n: int) -> dt.datetime: ...
@overload
def add_weeks(day: dt.date, n: int) -> dt.date: ...
def add_weeks(day: dt.date, n: int) -> dt.date:
    """Add `n` weeks, which are exactly 7n calendar days ("N weeks" in a rule); see `add_days`."""
    return add_days(day, 7 * n)


@overload
def add_months(day: dt.datetime, n: int) -> dt.datetime: ...
@overload
def add_months(day: dt.date, n: int) -> dt.date: ...
def add_months(day: dt.date, n: int) -> dt.date:
    """Add `n` calendar months, clamped to the end of a shorter month (31 Jan + 1 = 28/29 Feb).

    Clamping makes the operation lossy: add_months(add_months(31 Jan, 1), 1) is 28/29 March, not 31
    March, so add the whole number of months in one call. `n` may be negative or zero. A datetime
    must be aware; it keeps its Europe/London wall time and the result is in Europe/London.
    """
    if isinstance(day, dt.datetime):
        local = to_london(day)
        return london_wall_time(_add_months_to_date(local.date(), n), local.time())
    return _add_months_to_date(day, n)
