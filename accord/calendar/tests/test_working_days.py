"""Hand-checked cases for accord.calendar against published UK bank holidays (GOV.UK)."""

from __future__ import annotations

import ast
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from accord.calendar import (
    LONDON,
    REGIONS,
    Override,
    OverrideKind,
    Region,
    WorkingCalendar,
    add_days,
    add_months,
    add_weeks,
    add_working_days,
    default_calendar,
    is_bank_holiday,
    is_working_day,
    london_wall_time,
    next_working_day,
    next_working_day_at,
    parse_govuk_bank_holidays,
    previous_working_day,
    reconcile_bank_holidays,
    resolve_calendar,
    validate_region,
    working_day_on_or_after,
    working_days_between,
)

EW: Region = "england-and-wales"
SCOT: Region = "scotland"
NI: Region = "northern-ireland"
D = dt.date
UTC = dt.UTC


def test_regions_are_the_govuk_divisions() -> None:
    assert REGIONS == ("england-and-wales", "scotland", "northern-ireland")


def test_unknown_region_names_the_valid_ones() -> None:
    with pytest.raises(ValueError, match=r"england-and-wales.*scotland.*northern-ireland"):
        is_working_day(D(2025, 1, 6), "wales")
    with pytest.raises(ValueError, match="Unknown bank-holiday region"):
        WorkingCalendar("ENG")
    with pytest.raises(ValueError):
        validate_region(None)


def test_weekends_are_not_working_days() -> None:
    assert is_working_day(D(2025, 6, 6))  # Friday
    assert not is_working_day(D(2025, 6, 7))  # Saturday
    assert not is_working_day(D(2025, 6, 8))  # Sunday
    assert default_calendar().non_working_reason(D(2025, 6, 7)) == "Saturday"


# Christmas and New Year, with the substitute days GOV.UK published.


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize(
    ("day", "working"),
    [
        # 2020: Christmas Friday, Boxing Day Saturday -> substitute Monday 28 December.
        (D(2020, 12, 25), False),
        (D(2020, 12, 28), False),
        (D(2020, 12, 29), True),
        # 2021: both at the weekend -> substitutes Monday 27 and Tuesday 28 December.
        (D(2021, 12, 24), True),
        (D(2021, 12, 27), False),
        (D(2021, 12, 28), False),
        (D(2021, 12, 29), True),
        # 2022: Christmas Sunday, Boxing Day Monday -> Christmas substitute Tuesday 27 December.
        (D(2022, 12, 26), False),
        (D(2022, 12, 27), False),
        (D(2022, 12, 28), True),
        # New Year's Day 2022 was a Saturday -> substitute Monday 3 January everywhere.
        (D(2022, 1, 3), False),
        # New Year's Day 2023 was a Sunday -> substitute Monday 2 January everywhere.
        (D(2023, 1, 2), False),
    ],
)
def test_christmas_and_new_year_substitute_days(region: str, day: dt.date, working: bool) -> None:
    assert is_working_day(day, region) is working


def test_substitute_days_are_named() -> None:
    assert default_calendar(EW).bank_holiday_name(D(2021, 12, 27)) == "Christmas Day (observed)"
    assert default_calendar(EW).bank_holiday_name(D(2021, 12, 28)) == "Boxing Day (observed)"


def test_second_of_january_is_a_holiday_in_scotland_only() -> None:
    assert not is_working_day(D(2025, 1, 2), SCOT)  # Thursday
    assert is_working_day(D(2025, 1, 2), EW)
    assert is_working_day(D(2025, 1, 2), NI)


@pytest.mark.parametrize(
    ("year", "scottish_days_off", "english_days_off"),
    [
        # 1 Jan Friday, 2 Jan Saturday -> 2 January substitute Monday 4 January.
        (2021, [D(2021, 1, 1), D(2021, 1, 4)], [D(2021, 1, 1)]),
        # Both at the weekend -> Monday 3 and Tuesday 4 January.
        (2022, [D(2022, 1, 3), D(2022, 1, 4)], [D(2022, 1, 3)]),
        # 1 Jan Sunday -> Monday 2 (2nd January) and Tuesday 3 (New Year's Day substitute).
        (2023, [D(2023, 1, 2), D(2023, 1, 3)], [D(2023, 1, 2)]),
    ],
)
def test_new_year_substitutes(
    year: int, scottish_days_off: list[dt.date], english_days_off: list[dt.date]
) -> None:
    first_week = [D(year, 1, day) for day in range(1, 8) if D(year, 1, day).weekday() < 5]
    assert [d for d in first_week if not is_working_day(d, SCOT)] == scottish_days_off
    assert [d for d in first_week if not is_working_day(d, EW)] == english_days_off
    assert [d for d in first_week if not is_working_day(d, NI)] == english_days_off


# Easter.


@pytest.mark.parametrize(
    ("good_friday", "easter_monday"),
    [
        (D(2024, 3, 29), D(2024, 4, 1)),
        (D(2025, 4, 18), D(2025, 4, 21)),
        (D(2026, 4, 3), D(2026, 4, 6)),
    ],
)
def test_easter(good_friday: dt.date, easter_monday: dt.date) -> None:
    for region in REGIONS:
        assert not is_working_day(good_friday, region)
    assert not is_working_day(easter_monday, EW)
    assert not is_working_day(easter_monday, NI)
    assert is_working_day(easter_monday, SCOT)


# Northern Ireland and Scotland only.


def test_st_patricks_day_in_northern_ireland_only() -> None:
    assert not is_working_day(D(2025, 3, 17), NI)  # Monday
    assert is_working_day(D(2025, 3, 17), EW)
    assert is_working_day(D(2025, 3, 17), SCOT)
    # 2024: 17 March was a Sunday, substitute Monday 18 March.
    assert not is_working_day(D(2024, 3, 18), NI)
    assert is_working_day(D(2024, 3, 18), EW)


def test_battle_of_the_boyne_in_northern_ireland_only() -> None:
    assert not is_working_day(D(2024, 7, 12), NI)  # Friday
    assert is_working_day(D(2024, 7, 12), EW)
    assert is_working_day(D(2024, 7, 12), SCOT)
    # 2025: 12 July was a Saturday, substitute Monday 14 July.
    assert not is_working_day(D(2025, 7, 14), NI)
    assert is_working_day(D(2025, 7, 14), EW)


def test_st_andrews_day_and_summer_holiday_in_scotland() -> None:
    assert not is_working_day(D(2023, 11, 30), SCOT)  # Thursday
    assert is_working_day(D(2023, 11, 30), EW)
    # 2024: 30 November was a Saturday, substitute Monday 2 December.
    assert not is_working_day(D(2024, 12, 2), SCOT)
    # Scotland's summer bank holiday is the first Monday of August, not the last.
    assert not is_working_day(D(2024, 8, 5), SCOT)
    assert is_working_day(D(2024, 8, 26), SCOT)
    assert not is_working_day(D(2024, 8, 26), EW)


def test_early_may_bank_holiday_moved_for_ve_day_in_2020() -> None:
    for region in REGIONS:
        assert not is_working_day(D(2020, 5, 8), region)  # Friday, VE Day 75
        assert is_working_day(D(2020, 5, 4), region)  # the usual first Monday was worked


def test_one_off_bank_holidays() -> None:
    for region in REGIONS:
        assert is_bank_holiday(D(2022, 6, 3), region)  # Platinum Jubilee
        assert is_bank_holiday(D(2022, 9, 19), region)  # State funeral of Elizabeth II
        assert is_bank_holiday(D(2023, 5, 8), region)  # Coronation of Charles III


def test_bank_holidays_lists_a_year() -> None:
    days = default_calendar(NI).bank_holidays(2025)
    assert [d for d in days if d.weekday() < 5] == [
        D(2025, 1, 1),
        D(2025, 3, 17),
        D(2025, 4, 18),
        D(2025, 4, 21),
        D(2025, 5, 5),
        D(2025, 5, 26),
        D(2025, 7, 14),
        D(2025, 8, 25),
        D(2025, 12, 25),
        D(2025, 12, 26),
    ]


# Counting working days.


def test_start_day_is_not_counted() -> None:
    # Monday + 3 working days is Thursday.
    assert add_working_days(D(2025, 6, 2), 3) == D(2025, 6, 5)
    # Friday + 1 is the following Monday.
    assert add_working_days(D(2025, 6, 6), 1) == D(2025, 6, 9)
    # From a Saturday, the first working day counts as day 1.
    assert add_working_days(D(2025, 6, 7), 1) == D(2025, 6, 9)


def test_three_working_days_over_christmas_2021() -> None:
    # Thursday 23 December 2021: 24 Dec, then 29 and 30 Dec (27/28 were substitute days).
    assert add_working_days(D(2021, 12, 23), 3) == D(2021, 12, 30)
    assert working_days_between(D(2021, 12, 23), D(2021, 12, 30)) == 3


def test_zero_working_days_is_the_start_itself() -> None:
    assert add_working_days(D(2025, 6, 7), 0) == D(2025, 6, 7)  # even on a Saturday
    assert add_working_days(D(2025, 6, 4), 0) == D(2025, 6, 4)


def test_negative_working_days_count_back() -> None:
    # Five working days before Monday 9 June 2025 is Monday 2 June.
    assert add_working_days(D(2025, 6, 9), -5) == D(2025, 6, 2)
    # Counting back over Easter 2025 in England: Tue 22 Apr -1 -> Thu 17 Apr.
    assert add_working_days(D(2025, 4, 22), -1) == D(2025, 4, 17)
    assert add_working_days(D(2025, 4, 22), -1, SCOT) == D(2025, 4, 21)


def test_n_must_be_an_int() -> None:
    with pytest.raises(TypeError):
        add_working_days(D(2025, 6, 2), 1.0)  # type: ignore[arg-type]


def test_next_and_previous_working_day() -> None:
    assert next_working_day(D(2025, 12, 24)) == D(2025, 12, 29)
    assert previous_working_day(D(2025, 12, 29)) == D(2025, 12, 24)
    assert next_working_day(D(2025, 4, 17), SCOT) == D(2025, 4, 21)
    assert working_day_on_or_after(D(2025, 12, 25)) == D(2025, 12, 29)
    assert working_day_on_or_after(D(2025, 12, 24)) == D(2025, 12, 24)


def test_working_days_between() -> None:
    # December 2021 in England: 23 weekdays less the 27th and 28th; January 2022: 21 less the 3rd.
    assert working_days_between(D(2021, 11, 30), D(2022, 1, 31)) == 21 + 20
    assert working_days_between(D(2022, 1, 31), D(2021, 11, 30)) == -41
    assert working_days_between(D(2025, 6, 2), D(2025, 6, 2)) == 0
    # The end day counts, the start day does not.
    assert working_days_between(D(2025, 6, 2), D(2025, 6, 3)) == 1


def test_datetimes_are_refused_where_a_date_is_meant() -> None:
    moment = dt.datetime(2025, 12, 25, 9, tzinfo=UTC)
    with pytest.raises(TypeError, match="not a datetime"):
        is_working_day(moment)
    with pytest.raises(TypeError):
        add_working_days(moment, 1)


# Next working day at a time of day, across the clock changes.


def test_next_working_day_at_across_spring_clock_change() -> None:
    moment = dt.datetime(2026, 3, 28, 15, 0, tzinfo=LONDON)  # Saturday, GMT
    result = next_working_day_at(moment, dt.time(10))
    assert result == dt.datetime(2026, 3, 30, 9, 0, tzinfo=UTC)  # 10:00 BST on Monday
    assert result.tzinfo is LONDON
    assert (result.hour, result.minute) == (10, 0)
    assert result.utcoffset() == dt.timedelta(hours=1)


def test_next_working_day_at_across_autumn_clock_change() -> None:
    moment = dt.datetime(2026, 10, 23, 16, 30, tzinfo=LONDON)  # Friday, BST
    result = next_working_day_at(moment, dt.time(10))
    assert result == dt.datetime(2026, 10, 26, 10, 0, tzinfo=UTC)  # 10:00 GMT on Monday
    assert result.utcoffset() == dt.timedelta(0)


def test_next_working_day_at_uses_the_london_date() -> None:
    # 23:30 UTC on Tuesday 30 June 2026 is 00:30 BST on Wednesday 1 July in London.
    moment = dt.datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    assert next_working_day_at(moment, dt.time(10)).date() == D(2026, 7, 2)
    # 19:00 in New York on Tuesday is already Wednesday in London.
    new_york = dt.datetime(2026, 6, 30, 19, 0, tzinfo=ZoneInfo("America/New_York"))
    assert next_working_day_at(new_york, dt.time(10)).date() == D(2026, 7, 2)


def test_next_working_day_at_over_easter_differs_by_region() -> None:
    moment = dt.datetime(2026, 4, 2, 17, 0, tzinfo=LONDON)  # Thursday before Good Friday
    assert next_working_day_at(moment, dt.time(10)).date() == D(2026, 4, 7)
    assert next_working_day_at(moment, dt.time(10), SCOT).date() == D(2026, 4, 6)


def test_next_working_day_at_refuses_naive_input() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_working_day_at(dt.datetime(2026, 3, 28, 15, 0), dt.time(10))
    with pytest.raises(ValueError, match="naive wall-clock"):
        next_working_day_at(dt.datetime(2026, 3, 28, 15, 0, tzinfo=UTC), dt.time(10, tzinfo=UTC))


# Calendar arithmetic.


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 3, 31), -1, D(2024, 2, 29)),
        (D(2025, 8, 31), 1, D(2025, 9, 30)),
        (D(2025, 11, 30), 3, D(2026, 2, 28)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2025, 10, 15), 4, D(2026, 2, 15)),
        (D(2025, 1, 15), -13, D(2023, 12, 15)),
        (D(2025, 1, 15), 0, D(2025, 1, 15)),
    ],
)
def test_add_months_clamps_to_month_end(start: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(start, months) == expected


def test_add_days_and_weeks_on_dates() -> None:
    assert add_days(D(2025, 12, 30), 3) == D(2026, 1, 2)
    assert add_days(D(2025, 1, 1), -1) == D(2024, 12, 31)
    assert add_weeks(D(2025, 12, 30), 2) == D(2026, 1, 13)


def test_datetime_arithmetic_keeps_the_london_wall_time_across_dst() -> None:
    before = dt.datetime(2026, 3, 23, 10, 0, tzinfo=LONDON)  # Monday, GMT
    after = add_weeks(before, 1)
    assert after == dt.datetime(2026, 3, 30, 9, 0, tzinfo=UTC)  # 10:00 BST
    # Elapsed time must be measured in UTC: Python subtracts same-zone datetimes on the wall clock.
    assert after.astimezone(UTC) - before.astimezone(UTC) == dt.timedelta(days=7, hours=-1)
    assert add_months(dt.datetime(2026, 3, 15, 10, 0, tzinfo=UTC), 1) == dt.datetime(
        2026, 4, 15, 9, 0, tzinfo=UTC
    )
    assert add_days(dt.datetime(2026, 10, 24, 10, 0, tzinfo=LONDON), 2).utcoffset() == dt.timedelta(
        0
    )


def test_datetime_arithmetic_converts_to_london() -> None:
    result = add_days(dt.datetime(2026, 7, 1, 23, 30, tzinfo=UTC), 1)
    assert result.tzinfo is LONDON
    # 23:30 UTC is 00:30 BST on 2 July; one day later is 00:30 BST on 3 July.
    assert result.replace(tzinfo=None) == dt.datetime(2026, 7, 3, 0, 30)


def test_nonexistent_wall_time_moves_forward_by_the_gap() -> None:
    # 01:30 on Sunday 29 March 2026 does not exist in London (01:00 GMT -> 02:00 BST).
    result = add_days(dt.datetime(2026, 3, 28, 1, 30, tzinfo=LONDON), 1)
    assert result.replace(tzinfo=None) == dt.datetime(2026, 3, 29, 2, 30)
    assert result == dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert london_wall_time(D(2026, 3, 29), dt.time(1, 0)) == dt.datetime(
        2026, 3, 29, 1, tzinfo=UTC
    )


def test_ambiguous_wall_time_takes_the_first_occurrence() -> None:
    # 01:30 on Sunday 25 October 2026 happens twice in London: first BST, then GMT.
    result = add_days(dt.datetime(2026, 10, 24, 1, 30, tzinfo=LONDON), 1)
    # An ambiguous time never compares equal across zones (PEP 495), so compare in UTC.
    assert result.astimezone(UTC) == dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert result.utcoffset() == dt.timedelta(hours=1)
    second = london_wall_time(D(2026, 10, 25), dt.time(1, 30, fold=1))
    assert second.astimezone(UTC) == dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    # Shifting by zero keeps the instant, even in the second occurrence.
    assert add_days(second, 0).astimezone(UTC) == second.astimezone(UTC)
    assert add_months(second, 0).astimezone(UTC) == second.astimezone(UTC)
    assert add_days(second, 0).fold == 1


def test_naive_datetimes_are_refused() -> None:
    naive = dt.datetime(2026, 3, 28, 10, 0)
    for func in (add_days, add_weeks, add_months):
        with pytest.raises(ValueError, match="timezone-aware"):
            func(naive, 1)


# Overrides.


def test_service_christmas_closure() -> None:
    closures = [
        Override(date=D(2025, 12, day), kind=OverrideKind.CLOSURE, name="Christmas shutdown")
        for day in (29, 30, 31)
    ]
    cal = WorkingCalendar(EW, closures)
    # Wednesday 24 December 2025 + 3 working days: 2, 5 and 6 January 2026 (1 Jan is a holiday).
    assert add_working_days(D(2025, 12, 24), 3) == D(2025, 12, 31)
    assert cal.add_working_days(D(2025, 12, 24), 3) == D(2026, 1, 6)
    assert add_working_days(D(2025, 12, 24), 3, overrides=closures) == D(2026, 1, 6)
    assert cal.non_working_reason(D(2025, 12, 30)) == "Christmas shutdown"
    assert cal.working_days_between(D(2025, 12, 24), D(2026, 1, 6)) == 3
    # A safeguarding referral "by 10:00 the next working day".
    moment = dt.datetime(2025, 12, 24, 16, 0, tzinfo=LONDON)
    assert next_working_day_at(moment, dt.time(10)) == dt.datetime(2025, 12, 29, 10, tzinfo=UTC)
    assert next_working_day_at(moment, dt.time(10), calendar=cal) == dt.datetime(
        2026, 1, 2, 10, tzinfo=UTC
    )
    # The default calendar is untouched.
    assert is_working_day(D(2025, 12, 30))


def test_extra_and_cancelled_bank_holidays() -> None:
    extra = Override(date=D(2025, 6, 2), kind="bank_holiday", name="Extra day")  # type: ignore[arg-type]
    cancel = Override(date=D(2025, 5, 5), kind=OverrideKind.WORKING_DAY, region=EW)
    assert extra.kind is OverrideKind.BANK_HOLIDAY
    cal = WorkingCalendar(EW, [extra, cancel])
    assert cal.bank_holiday_name(D(2025, 6, 2)) == "Extra day"
    assert not cal.is_working_day(D(2025, 6, 2))
    assert cal.is_working_day(D(2025, 5, 5))
    assert not cal.is_bank_holiday(D(2025, 5, 5))
    assert D(2025, 5, 5) not in cal.bank_holidays(2025)
    assert cal.bank_holidays(2025)[D(2025, 6, 2)] == "Extra day"


def test_closure_beats_working_day_override() -> None:
    cal = WorkingCalendar(
        EW,
        [
            Override(date=D(2025, 12, 26), kind=OverrideKind.WORKING_DAY),
            Override(date=D(2025, 12, 26), kind=OverrideKind.CLOSURE, name="Staff day"),
        ],
    )
    assert not cal.is_working_day(D(2025, 12, 26))
    assert cal.non_working_reason(D(2025, 12, 26)) == "Staff day"


def test_overrides_for_another_region_are_ignored() -> None:
    scottish = Override(date=D(2025, 6, 2), kind=OverrideKind.BANK_HOLIDAY, region=SCOT)
    everywhere = Override(date=D(2025, 6, 3), kind=OverrideKind.CLOSURE)
    cal = WorkingCalendar(EW, [scottish, everywhere])
    assert cal.overrides == (everywhere,)
    assert cal.is_working_day(D(2025, 6, 2))
    assert not cal.is_working_day(D(2025, 6, 3))
    assert not WorkingCalendar(SCOT, [scottish]).is_working_day(D(2025, 6, 2))


def test_calendar_equality_and_with_overrides() -> None:
    closure = Override(date=D(2025, 6, 3), kind=OverrideKind.CLOSURE)
    base = WorkingCalendar(EW)
    extended = base.with_overrides([closure])
    assert base == default_calendar(EW)
    assert extended == WorkingCalendar(EW, [closure, closure])
    assert hash(extended) == hash(WorkingCalendar(EW, [closure]))
    assert base.is_working_day(D(2025, 6, 3))
    assert not extended.is_working_day(D(2025, 6, 3))


def test_override_validation() -> None:
    with pytest.raises(ValueError, match="weekend"):
        Override(date=D(2025, 6, 7), kind=OverrideKind.WORKING_DAY)
    with pytest.raises(ValueError, match=r"closure.*bank_holiday.*working_day"):
        Override(date=D(2025, 6, 2), kind="holiday")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Override(date=dt.datetime(2025, 6, 2), kind=OverrideKind.CLOSURE)
    with pytest.raises(ValueError, match="Unknown bank-holiday region"):
        Override(date=D(2025, 6, 2), kind=OverrideKind.CLOSURE, region="wales")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        WorkingCalendar(EW, [D(2025, 6, 2)])  # type: ignore[list-item]
    # Closures at a weekend are harmless (a shutdown is often entered as a date range).
    Override(date=D(2025, 6, 7), kind=OverrideKind.CLOSURE)


def test_resolve_calendar() -> None:
    scottish = default_calendar(SCOT)
    assert resolve_calendar() is default_calendar(EW)
    assert resolve_calendar(calendar=scottish) is scottish
    assert is_working_day(D(2025, 1, 2), calendar=scottish) is False
    with pytest.raises(ValueError, match="does not match"):
        resolve_calendar(EW, calendar=scottish)
    with pytest.raises(ValueError, match="not both"):
        resolve_calendar(calendar=scottish, overrides=[])


# GOV.UK bank-holidays JSON.


def _event(date: str, title: str, notes: str = "", bunting: bool = True) -> dict[str, Any]:
    return {"title": title, "date": date, "notes": notes, "bunting": bunting}


SUB = "Substitute day"

# Whole years as published in https://www.gov.uk/bank-holidays.json (typographic apostrophes too).
GOVUK_SAMPLE: dict[str, Any] = {
    "england-and-wales": {
        "division": "england-and-wales",
        "events": [
            _event("2020-01-01", "New Year\u2019s Day"),
            _event("2020-04-10", "Good Friday", bunting=False),
            _event("2020-04-13", "Easter Monday"),
            _event("2020-05-08", "Early May bank holiday (VE day)"),
            _event("2020-05-25", "Spring bank holiday"),
            _event("2020-08-31", "Summer bank holiday"),
            _event("2020-12-25", "Christmas Day"),
            _event("2020-12-28", "Boxing Day", SUB),
            _event("2021-01-01", "New Year\u2019s Day"),
            _event("2021-04-02", "Good Friday", bunting=False),
            _event("2021-04-05", "Easter Monday"),
            _event("2021-05-03", "Early May bank holiday"),
            _event("2021-05-31", "Spring bank holiday"),
            _event("2021-08-30", "Summer bank holiday"),
            _event("2021-12-27", "Christmas Day", SUB),
            _event("2021-12-28", "Boxing Day", SUB),
            _event("2022-01-03", "New Year\u2019s Day", SUB),
            _event("2022-04-15", "Good Friday", bunting=False),
            _event("2022-04-18", "Easter Monday"),
            _event("2022-05-02", "Early May bank holiday"),
            _event("2022-06-02", "Spring bank holiday"),
            _event("2022-06-03", "Platinum Jubilee bank holiday"),
            _event("2022-08-29", "Summer bank holiday"),
            _event("2022-09-19", "Bank Holiday for the State Funeral of Queen Elizabeth II"),
            _event("2022-12-26", "Boxing Day"),
            _event("2022-12-27", "Christmas Day", SUB),
            _event("2025-01-01", "New Year\u2019s Day"),
            _event("2025-04-18", "Good Friday", bunting=False),
            _event("2025-04-21", "Easter Monday"),
            _event("2025-05-05", "Early May bank holiday"),
            _event("2025-05-26", "Spring bank holiday"),
            _event("2025-08-25", "Summer bank holiday"),
            _event("2025-12-25", "Christmas Day"),
            _event("2025-12-26", "Boxing Day"),
        ],
    },
    "scotland": {
        "division": "scotland",
        "events": [
            _event("2022-01-03", "New Year\u2019s Day", SUB),
            _event("2022-01-04", "2nd January", SUB),
            _event("2022-04-15", "Good Friday", bunting=False),
            _event("2022-05-02", "Early May bank holiday"),
            _event("2022-06-02", "Spring bank holiday"),
            _event("2022-06-03", "Platinum Jubilee bank holiday"),
            _event("2022-08-01", "Summer bank holiday"),
            _event("2022-09-19", "Bank Holiday for the State Funeral of Queen Elizabeth II"),
            _event("2022-11-30", "St Andrew\u2019s Day"),
            _event("2022-12-26", "Boxing Day"),
            _event("2022-12-27", "Christmas Day", SUB),
            _event("2025-01-01", "New Year\u2019s Day"),
            _event("2025-01-02", "2nd January"),
            _event("2025-04-18", "Good Friday", bunting=False),
            _event("2025-05-05", "Early May bank holiday"),
            _event("2025-05-26", "Spring bank holiday"),
            _event("2025-08-04", "Summer bank holiday"),
            _event("2025-12-01", "St Andrew\u2019s Day", SUB),
            _event("2025-12-25", "Christmas Day"),
            _event("2025-12-26", "Boxing Day"),
        ],
    },
    "northern-ireland": {
        "division": "northern-ireland",
        "events": [
            _event("2022-01-03", "New Year\u2019s Day", SUB),
            _event("2022-03-17", "St Patrick\u2019s Day"),
            _event("2022-04-15", "Good Friday", bunting=False),
            _event("2022-04-18", "Easter Monday"),
            _event("2022-05-02", "Early May bank holiday"),
            _event("2022-06-02", "Spring bank holiday"),
            _event("2022-06-03", "Platinum Jubilee bank holiday"),
            _event("2022-07-12", "Battle of the Boyne (Orangemen\u2019s Day)", bunting=False),
            _event("2022-08-29", "Summer bank holiday"),
            _event("2022-09-19", "Bank Holiday for the State Funeral of Queen Elizabeth II"),
            _event("2022-12-26", "Boxing Day"),
            _event("2022-12-27", "Christmas Day", SUB),
            _event("2025-01-01", "New Year\u2019s Day"),
            _event("2025-03-17", "St Patrick\u2019s Day"),
            _event("2025-04-18", "Good Friday", bunting=False),
            _event("2025-04-21", "Easter Monday"),
            _event("2025-05-05", "Early May bank holiday"),
            _event("2025-05-26", "Spring bank holiday"),
            _event("2025-07-14", "Battle of the Boyne (Orangemen\u2019s Day)", SUB, False),
            _event("2025-08-25", "Summer bank holiday"),
            _event("2025-12-25", "Christmas Day"),
            _event("2025-12-26", "Boxing Day"),
        ],
    },
}


def test_parse_govuk_bank_holidays() -> None:
    parsed = parse_govuk_bank_holidays(GOVUK_SAMPLE)
    assert list(parsed) == list(REGIONS)
    ew = parsed[EW]
    assert len(ew) == 34
    assert ew[0] == Override(
        date=D(2020, 1, 1), kind=OverrideKind.BANK_HOLIDAY, region=EW, name="New Year\u2019s Day"
    )
    assert ew[7].name == "Boxing Day (Substitute day)"
    assert all(entry.region == EW and entry.kind is OverrideKind.BANK_HOLIDAY for entry in ew)
    assert [e.date for e in parsed[SCOT]] == sorted(e.date for e in parsed[SCOT])


def test_parse_govuk_accepts_events_out_of_order_and_a_subset_of_divisions() -> None:
    data = {
        "scotland": {
            "events": [_event("2025-12-26", "Boxing Day"), _event("2025-01-02", "2nd January")]
        }
    }
    parsed = parse_govuk_bank_holidays(data)
    assert list(parsed) == [SCOT]
    assert [e.date for e in parsed[SCOT]] == [D(2025, 1, 2), D(2025, 12, 26)]


@pytest.mark.parametrize("region", REGIONS)
def test_holidays_package_agrees_with_govuk(region: str) -> None:
    """The package's days off match the published ones for every sample year, region by region."""
    published = parse_govuk_bank_holidays(GOVUK_SAMPLE)[validate_region(region)]
    assert reconcile_bank_holidays(region, published) == []
    cal = default_calendar(region)
    for year in {entry.date.year for entry in published}:
        weekday_holidays = [d for d in cal.bank_holidays(year) if d.weekday() < 5]
        assert weekday_holidays == [e.date for e in published if e.date.year == year]


def test_reconcile_makes_the_calendar_follow_the_published_list() -> None:
    published = [
        e
        for e in parse_govuk_bank_holidays(GOVUK_SAMPLE)[EW]
        if e.date.year == 2025 and e.date != D(2025, 5, 5)
    ]
    published.append(
        Override(date=D(2025, 6, 2), kind=OverrideKind.BANK_HOLIDAY, region=EW, name="Surprise")
    )
    changes = reconcile_bank_holidays(EW, published)
    assert [(c.date, c.kind) for c in changes] == [
        (D(2025, 5, 5), OverrideKind.WORKING_DAY),
        (D(2025, 6, 2), OverrideKind.BANK_HOLIDAY),
    ]
    cal = WorkingCalendar(EW, changes)
    assert [d for d in cal.bank_holidays(2025) if d.weekday() < 5] == sorted(
        e.date for e in published
    )
    with pytest.raises(ValueError, match="bank_holiday entries"):
        reconcile_bank_holidays(EW, [Override(date=D(2025, 6, 2), kind=OverrideKind.CLOSURE)])


def _with(region: str, *events: Any, **division: Any) -> dict[str, Any]:
    return {region: {"division": region, "events": list(events), **division}}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "top level: expected an object"),
        ({}, "no divisions"),
        ({"wales": {"events": []}}, "unknown division"),
        ({EW: []}, "england-and-wales: expected an object"),
        ({EW: {"division": "scotland", "events": []}}, "does not match its key"),
        ({EW: {"division": EW}}, r"england-and-wales\.events: expected a list"),
        (_with(EW, "2025-01-01"), r"events\[0\]: expected an object"),
        (_with(EW, {"title": "New Year"}), r"events\[0\]\.date: expected a 'YYYY-MM-DD'"),
        (_with(EW, _event("01/01/2025", "New Year")), r"events\[0\]\.date"),
        (_with(EW, _event("20250101", "New Year")), r"events\[0\]\.date"),
        (_with(EW, _event("2025-02-30", "Nonsense")), "not a real date"),
        (_with(EW, {"date": "2025-01-01"}), r"events\[0\]\.title"),
        (_with(EW, _event("2025-01-01", "   ")), r"events\[0\]\.title"),
        (_with(EW, {"date": "2025-01-01", "title": "A", "notes": None}), r"\.notes"),
        (_with(EW, {"date": "2025-01-01", "title": "A", "bunting": "yes"}), r"\.bunting"),
        (
            _with(EW, _event("2025-01-01", "A"), _event("2025-01-01", "B")),
            r"events\[1\]\.date: 2025-01-01 is listed twice",
        ),
    ],
)
def test_parse_govuk_rejects_malformed_input(data: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_govuk_bank_holidays(data)


# Purity: no Django, nothing else from Accord.

PACKAGE_DIR = Path(__file__).resolve().parents[1]


def test_package_imports_no_django() -> None:
    code = (
        "import sys, pkgutil, importlib, accord.calendar as c\n"
        "for m in pkgutil.walk_packages(c.__path__, 'accord.calendar.'):\n"
        "    if '.tests' not in m.name:\n"
        "        importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n == 'django' or n.startswith('django.'))\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PACKAGE_DIR.parents[1],
        capture_output=True,
        text=True,
        check=False,
        env={
            **os.environ,
            "PYTHONPATH": str(PACKAGE_DIR.parents[1]),
            "PYTHONDONTWRITEBYTECODE": "1",
        },
    )
    assert result.returncode == 0, result.stderr


def test_source_imports_neither_django_nor_the_rest_of_accord() -> None:
    offenders = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top == "django" or (top == "accord" and not name.startswith("accord.calendar")):
                    offenders.append(f"{path.name}: {name}")
    assert offenders == []
