"""Due moments from rule periods, and when the "before" reminder goes out (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.calendar import LONDON, Override, OverrideKind, WorkingCalendar
from accord.deadlines.due import before_reminder_moment, compute_due

ENGLAND = WorkingCalendar("england-and-wales")
SCOTLAND = WorkingCalendar("scotland")
CLOSE = dt.time(17, 0)
UTC = dt.UTC


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def due(
    unit: str,
    period: int,
    start: dt.datetime,
    *,
    at: dt.time | None = None,
    calendar: WorkingCalendar = ENGLAND,
) -> dt.datetime:
    return compute_due(
        unit=unit, period=period, at_time=at, start=start, calendar=calendar, default_time=CLOSE
    )


def test_working_days_skip_christmas_and_the_boxing_day_substitute():
    # Wed 23 Dec 2026: Christmas is Friday, Boxing Day Saturday, so Monday 28 is a holiday.
    result = due("working_days", 3, london(2026, 12, 23, 14, 30))
    assert result == london(2026, 12, 30, 17, 0)
    assert result.utcoffset() == dt.timedelta(0)


def test_working_days_do_not_count_the_start_day():
    assert due("working_days", 1, london(2026, 11, 23, 9, 0)).date() == dt.date(2026, 11, 24)


def test_working_days_follow_the_services_region():
    start = london(2026, 12, 31, 12, 0)
    assert due("working_days", 1, start).date() == dt.date(2027, 1, 4)
    # Scotland also takes 2 January, a Saturday in 2027, so Monday 4 January is its substitute.
    assert due("working_days", 1, start, calendar=SCOTLAND).date() == dt.date(2027, 1, 5)


def test_a_service_closure_is_not_a_working_day():
    closed = ENGLAND.with_overrides(
        [Override(date=dt.date(2026, 12, 24), kind=OverrideKind.CLOSURE, name="Closed")]
    )
    assert due("working_days", 3, london(2026, 12, 23, 12), calendar=closed).date() == dt.date(
        2026, 12, 31
    )


def test_negative_working_days_count_back_from_the_meeting():
    # Notice at least 5 working days before a meeting on Wed 6 January 2027.
    assert due("working_days", -5, london(2027, 1, 6, 10)).date() == dt.date(2026, 12, 29)


def test_months_clamp_to_the_end_of_a_shorter_month():
    assert due("months", 1, london(2027, 1, 31, 10)).date() == dt.date(2027, 2, 28)
    assert due("months", 3, london(2027, 11, 30, 10)).date() == dt.date(2028, 2, 29)
    assert due("months", 4, london(2026, 10, 31, 10)).date() == dt.date(2027, 2, 28)


def test_calendar_days_and_weeks_are_calendar_arithmetic():
    assert due("calendar_days", 30, london(2026, 12, 1, 10)).date() == dt.date(2026, 12, 31)
    assert due("weeks", 2, london(2026, 12, 21, 10)).date() == dt.date(2027, 1, 4)


def test_weeks_across_the_spring_clock_change_keep_close_of_business():
    result = due("weeks", 1, london(2026, 3, 23, 10))
    assert result == london(2026, 3, 30, 17, 0)
    assert result.astimezone(UTC).hour == 16  # 17:00 BST


def test_next_working_day_at_ten_across_the_spring_clock_change():
    # Friday 27 March 2026 (GMT) -> Monday 30 March 10:00 BST, which is 09:00 UTC.
    result = due("next_working_day_at", 1, london(2026, 3, 27, 15), at=dt.time(10, 0))
    assert result.astimezone(UTC) == dt.datetime(2026, 3, 30, 9, 0, tzinfo=UTC)


def test_next_working_day_at_ten_across_the_autumn_clock_change():
    # Friday 23 October 2026 (BST) -> Monday 26 October 10:00 GMT, which is 10:00 UTC.
    result = due("next_working_day_at", 1, london(2026, 10, 23, 16), at=dt.time(10, 0))
    assert result.astimezone(UTC) == dt.datetime(2026, 10, 26, 10, 0, tzinfo=UTC)


def test_next_working_day_uses_the_london_date_of_the_start():
    # 23:30 UTC on Thursday 30 April 2026 is already Friday 1 May in London: next is Tuesday 5 May
    # (Monday 4 May is the early May bank holiday).
    start = dt.datetime(2026, 4, 30, 23, 30, tzinfo=UTC)
    result = due("next_working_day_at", 1, start, at=dt.time(10, 0))
    assert result == london(2026, 5, 5, 10, 0)


def test_a_rule_time_replaces_close_of_business():
    assert due("working_days", 1, london(2026, 11, 23, 9), at=dt.time(12, 30)) == london(
        2026, 11, 24, 12, 30
    )


def test_hours_are_elapsed_from_the_moment_itself():
    # Tuesday 24 November 2026, 15:40: 24 hours later is Wednesday 15:40, not close of business.
    assert due("hours", 24, london(2026, 11, 24, 15, 40)) == london(2026, 11, 25, 15, 40)
    assert due("hours", 3, london(2026, 11, 24, 23, 0)) == london(2026, 11, 25, 2, 0)
    assert due("hours", -2, london(2026, 11, 24, 1, 0)) == london(2026, 11, 23, 23, 0)


def test_hours_across_the_autumn_clock_change_keep_the_elapsed_time():
    # The clocks go back at 02:00 BST on Sunday 25 October 2026: that day has 25 hours, so 24
    # hours after 15:00 BST on Saturday is 14:00 GMT on Sunday (the same moment as 15:00 BST).
    start = london(2026, 10, 24, 15, 0)
    result = due("hours", 24, start)
    assert result == london(2026, 10, 25, 14, 0)
    assert result.astimezone(UTC) - start.astimezone(UTC) == dt.timedelta(hours=24)
    # On the wall clock it reads an hour earlier than the start did.
    assert (result.hour, result.utcoffset()) == (14, dt.timedelta(0))


def test_hours_across_the_spring_clock_change_keep_the_elapsed_time():
    # The clocks go forward at 01:00 GMT on Sunday 29 March 2026: 24 hours after 18:00 GMT on
    # Saturday is 19:00 BST on Sunday.
    start = london(2026, 3, 28, 18, 0)
    result = due("hours", 24, start)
    assert result == london(2026, 3, 29, 19, 0)
    assert result.astimezone(UTC) - start.astimezone(UTC) == dt.timedelta(hours=24)


def test_hours_run_through_bank_holidays_weekends_and_closures():
    # A meeting ends at 16:00 on Thursday 24 December 2026: Christmas Day is a bank holiday and
    # the service is closed, but the 24-hour standard is elapsed time, not working time.
    closed = ENGLAND.with_overrides(
        [Override(date=dt.date(2026, 12, 25), kind=OverrideKind.CLOSURE, name="Closed")]
    )
    start = london(2026, 12, 24, 16, 0)
    assert due("hours", 24, start) == london(2026, 12, 25, 16, 0)
    assert due("hours", 24, start, calendar=closed) == london(2026, 12, 25, 16, 0)
    # Whereas 1 working day from the same moment skips Christmas and Boxing Day's substitute.
    assert due("working_days", 1, start).date() == dt.date(2026, 12, 29)


def test_hours_take_no_time_of_day():
    with pytest.raises(ValueError, match="no time of day"):
        due("hours", 24, london(2026, 11, 24, 15), at=dt.time(10, 0))


def test_naive_start_and_unknown_unit_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        due("working_days", 1, dt.datetime(2026, 11, 23, 9))
    with pytest.raises(ValueError, match="Unknown unit"):
        due("fortnights", 1, london(2026, 11, 23, 9))
    with pytest.raises(ValueError, match="time of day"):
        due("next_working_day_at", 1, london(2026, 11, 23, 9))


def before(due_at: dt.datetime, now: dt.datetime) -> dt.datetime | None:
    return before_reminder_moment(
        due_at=due_at,
        now=now,
        calendar=ENGLAND,
        lead_working_days=2,
        short_lead_working_days=1,
        send_time=dt.time(9, 0),
    )


def test_before_reminder_goes_two_working_days_ahead_at_nine():
    assert before(london(2026, 12, 11, 17), london(2026, 11, 23, 10)) == london(2026, 12, 9, 9)


def test_before_reminder_skips_christmas_when_counting_back():
    # Due Wed 30 Dec 2026: two working days before are Tue 29 and Thu 24 December.
    assert before(london(2026, 12, 30, 17), london(2026, 12, 1, 10)) == london(2026, 12, 24, 9)


def test_short_deadline_gets_a_reminder_one_working_day_ahead():
    assert before(london(2026, 11, 24, 17), london(2026, 11, 22, 20)) == london(2026, 11, 23, 9)


def test_very_short_deadline_gets_no_before_reminder():
    # The self-referral rule: set Monday 15:00, due Tuesday 10:00.
    assert before(london(2026, 11, 24, 10), london(2026, 11, 23, 15)) is None
