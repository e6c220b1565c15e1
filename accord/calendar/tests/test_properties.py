"""Property-based tests (hypothesis) for working days and DST-safe calendar arithmetic."""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from accord.calendar import (
    LONDON,
    REGIONS,
    Override,
    OverrideKind,
    WorkingCalendar,
    add_days,
    add_months,
    add_weeks,
    add_working_days,
    default_calendar,
    is_working_day,
    london_wall_time,
    next_working_day,
    next_working_day_at,
    previous_working_day,
    working_days_between,
)

UTC = dt.UTC
# No example database: the tests must not write a .hypothesis folder into the project.
SETTINGS = settings(max_examples=300, deadline=None, database=None)

days = st.dates(min_value=dt.date(1980, 1, 1), max_value=dt.date(2075, 12, 31))
regions = st.sampled_from(REGIONS)
counts = st.integers(min_value=0, max_value=80)
positive_counts = st.integers(min_value=1, max_value=80)


@st.composite
def calendars(draw: st.DrawFn) -> WorkingCalendar:
    """A region's calendar, sometimes with random closures, extra and cancelled bank holidays."""
    region = draw(regions)
    anchor = draw(st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2030, 12, 31)))
    offsets = st.integers(min_value=-60, max_value=60)
    closures = [
        Override(date=anchor + dt.timedelta(days=o), kind=OverrideKind.CLOSURE)
        for o in draw(st.lists(offsets, max_size=15))
    ]
    extra = [
        Override(date=anchor + dt.timedelta(days=o), kind=OverrideKind.BANK_HOLIDAY, region=region)
        for o in draw(st.lists(offsets, max_size=5))
    ]
    cancelled = [
        Override(date=day, kind=OverrideKind.WORKING_DAY, region=region)
        for day in (anchor + dt.timedelta(days=o) for o in draw(st.lists(offsets, max_size=5)))
        if day.weekday() < 5
    ]
    return WorkingCalendar(region, [*closures, *extra, *cancelled])


calendar_days = st.dates(min_value=dt.date(2018, 9, 1), max_value=dt.date(2031, 3, 31))
zones = st.sampled_from(
    [
        UTC,
        LONDON,
        ZoneInfo("America/New_York"),
        ZoneInfo("Asia/Kolkata"),
        ZoneInfo("Pacific/Kiritimati"),
    ]
)
aware_moments = st.datetimes(
    min_value=dt.datetime(1980, 1, 1), max_value=dt.datetime(2075, 12, 31), timezones=zones
)
wall_times = st.times()


# Working days.


@SETTINGS
@given(start=days, n=positive_counts, region=regions)
def test_add_working_days_lands_on_a_working_day_after_start(
    start: dt.date, n: int, region: str
) -> None:
    result = add_working_days(start, n, region)
    assert result > start
    assert is_working_day(result, region)


@SETTINGS
@given(start=days, n=counts, region=regions)
def test_working_days_between_inverts_add_working_days(start: dt.date, n: int, region: str) -> None:
    assert working_days_between(start, add_working_days(start, n, region), region) == n


@SETTINGS
@given(cal=calendars(), offset=st.integers(min_value=-90, max_value=90), n=counts)
def test_inverse_holds_with_overrides(cal: WorkingCalendar, offset: int, n: int) -> None:
    start = (
        cal.overrides[0].date + dt.timedelta(days=offset) if cal.overrides else dt.date(2025, 1, 1)
    )
    result = cal.add_working_days(start, n)
    assert cal.working_days_between(start, result) == n
    if n:
        assert cal.is_working_day(result)


@SETTINGS
@given(start=days, a=counts, b=counts, region=regions)
def test_add_working_days_is_strictly_increasing_in_n(
    start: dt.date, a: int, b: int, region: str
) -> None:
    assume(a != b)
    low, high = sorted((a, b))
    assert add_working_days(start, low, region) < add_working_days(start, high, region)


@SETTINGS
@given(start=days, n=positive_counts, region=regions)
def test_no_working_day_is_skipped(start: dt.date, n: int, region: str) -> None:
    """Every working day strictly between start and the result is one of the N counted."""
    result = add_working_days(start, n, region)
    span = (result - start).days
    counted = [start + dt.timedelta(days=i) for i in range(1, span + 1)]
    assert sum(is_working_day(day, region) for day in counted) == n


@SETTINGS
@given(start=days, n=positive_counts, region=regions)
def test_negative_n_counts_back(start: dt.date, n: int, region: str) -> None:
    back = add_working_days(start, -n, region)
    assert back < start
    assert is_working_day(back, region)
    if is_working_day(start, region):
        assert add_working_days(back, n, region) == start
        assert working_days_between(back, start, region) == n


@SETTINGS
@given(cal=calendars(), a=calendar_days, b=calendar_days, c=calendar_days)
def test_working_days_between_is_antisymmetric_and_additive(
    cal: WorkingCalendar, a: dt.date, b: dt.date, c: dt.date
) -> None:
    assert cal.working_days_between(a, b) == -cal.working_days_between(b, a)
    assert cal.working_days_between(a, b) + cal.working_days_between(b, c) == (
        cal.working_days_between(a, c)
    )


@SETTINGS
@given(cal=calendars(), start=calendar_days, length=st.integers(min_value=0, max_value=400))
def test_working_days_between_matches_counting_day_by_day(
    cal: WorkingCalendar, start: dt.date, length: int
) -> None:
    end = start + dt.timedelta(days=length)
    expected = sum(cal.is_working_day(start + dt.timedelta(days=i)) for i in range(1, length + 1))
    assert cal.working_days_between(start, end) == expected


@SETTINGS
@given(day=days, region=regions)
def test_next_and_previous_working_day(day: dt.date, region: str) -> None:
    following = next_working_day(day, region)
    preceding = previous_working_day(day, region)
    assert preceding < day < following
    assert is_working_day(following, region) and is_working_day(preceding, region)
    assert working_days_between(preceding, following, region) == 1 + is_working_day(day, region)


@SETTINGS
@given(day=days, region=regions)
def test_weekends_are_never_working_days(day: dt.date, region: str) -> None:
    if day.weekday() >= 5:
        assert not is_working_day(day, region)


@SETTINGS
@given(cal=calendars())
def test_overrides_take_effect(cal: WorkingCalendar) -> None:
    for entry in cal.overrides:
        if entry.kind is OverrideKind.CLOSURE:
            assert not cal.is_working_day(entry.date)
        elif entry.kind is OverrideKind.WORKING_DAY:
            assert not cal.is_bank_holiday(entry.date)
            closed = any(
                o.kind is OverrideKind.CLOSURE and o.date == entry.date for o in cal.overrides
            )
            assert cal.is_working_day(entry.date) is not closed
        else:
            cancelled = any(
                o.kind is OverrideKind.WORKING_DAY and o.date == entry.date for o in cal.overrides
            )
            assert cal.is_bank_holiday(entry.date) is not cancelled


# next_working_day_at.


@SETTINGS
@given(moment=aware_moments, at=wall_times, region=regions)
def test_next_working_day_at(moment: dt.datetime, at: dt.time, region: str) -> None:
    result = next_working_day_at(moment, at, region)
    assert result.tzinfo is LONDON
    assert result.utcoffset() is not None
    # Clocks change only on Sundays, so the wall time always exists on a working day.
    assert result.time() == at.replace(fold=0)
    assert result.replace(tzinfo=None).time() == at
    local_date = moment.astimezone(LONDON).date()
    assert result.date() > local_date
    assert is_working_day(result.date(), region)
    assert result.date() == next_working_day(local_date, region)
    # The instant reads back as the same wall time in London.
    assert result.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) == result.replace(
        tzinfo=None
    )


# Calendar arithmetic.


@SETTINGS
@given(day=days, n=st.integers(min_value=-240, max_value=240))
def test_add_months_never_overflows_a_month(day: dt.date, n: int) -> None:
    result = add_months(day, n)
    year, month_index = divmod(day.year * 12 + day.month - 1 + n, 12)
    assert (result.year, result.month) == (year, month_index + 1)
    last_day = monthrange(result.year, result.month)[1]
    assert result.day == min(day.day, last_day)


@SETTINGS
@given(day=days, n=st.integers(min_value=-240, max_value=240))
def test_add_months_clamps_from_the_last_day(day: dt.date, n: int) -> None:
    last_of_month = day.replace(day=monthrange(day.year, day.month)[1])
    result = add_months(last_of_month, n)
    target_last = monthrange(result.year, result.month)[1]
    if last_of_month.day >= target_last:
        assert result.day == target_last
    else:
        assert result.day == last_of_month.day


@SETTINGS
@given(day=days, n=st.integers(min_value=-1000, max_value=1000))
def test_add_days_and_weeks_on_dates(day: dt.date, n: int) -> None:
    assert add_days(day, n) == day + dt.timedelta(days=n)
    assert add_weeks(day, n) == day + dt.timedelta(weeks=n)
    assert add_days(add_days(day, n), -n) == day


def _outside_changeover_hour(moment: dt.datetime) -> bool:
    """Whether `moment`'s London wall time exists exactly once on every day (not 01:00-01:59)."""
    return moment.astimezone(LONDON).hour != 1


@SETTINGS
@given(moment=aware_moments, n=st.integers(min_value=-800, max_value=800))
def test_day_arithmetic_keeps_the_wall_time_across_dst(moment: dt.datetime, n: int) -> None:
    assume(_outside_changeover_hour(moment))
    local = moment.astimezone(LONDON)
    result = add_days(moment, n)
    assert result.tzinfo is LONDON
    assert result.date() == local.date() + dt.timedelta(days=n)
    assert result.time() == local.time()
    # Elapsed real time is n days, give or take the clock changes crossed (in UTC).
    elapsed = result.astimezone(UTC) - moment.astimezone(UTC)
    assert elapsed == dt.timedelta(days=n) + (local.utcoffset() or dt.timedelta()) - (
        result.utcoffset() or dt.timedelta()
    )
    # Round trip back across the change.
    assert add_days(result, -n).astimezone(UTC) == moment.astimezone(UTC)
    assert add_weeks(moment, n).astimezone(UTC) == add_days(moment, 7 * n).astimezone(UTC)


@SETTINGS
@given(moment=aware_moments, n=st.integers(min_value=-120, max_value=120))
def test_month_arithmetic_on_datetimes(moment: dt.datetime, n: int) -> None:
    assume(_outside_changeover_hour(moment))
    local = moment.astimezone(LONDON)
    result = add_months(moment, n)
    assert result.tzinfo is LONDON
    assert result.date() == add_months(local.date(), n)
    assert result.time() == local.time()


@SETTINGS
@given(
    day=st.dates(min_value=dt.date(1980, 1, 1), max_value=dt.date(2075, 12, 31)),
    at=wall_times,
)
def test_london_wall_time_is_never_earlier_than_asked(day: dt.date, at: dt.time) -> None:
    result = london_wall_time(day, at)
    assert result.tzinfo is LONDON
    asked = dt.datetime.combine(day, at)
    shown = result.replace(tzinfo=None)
    # Equal, except in the spring gap where the time moves forward by exactly one hour.
    assert shown == asked or (shown - asked == dt.timedelta(hours=1) and at.hour == 1)
    # What is returned is a real London time: converting through UTC changes nothing.
    again = result.astimezone(UTC).astimezone(LONDON)
    assert again.replace(tzinfo=None) == shown and again.utcoffset() == result.utcoffset()


@SETTINGS
@given(day=st.dates(min_value=dt.date(1996, 1, 1), max_value=dt.date(2075, 12, 31)))
def test_default_calendar_is_cached(day: dt.date) -> None:
    for region in REGIONS:
        assert default_calendar(region) is default_calendar(region)
        assert default_calendar(region).is_working_day(day) == is_working_day(day, region)
