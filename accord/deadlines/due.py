"""Turning a rule's period into a due moment, and choosing when the "before" reminder goes out.

Pure date arithmetic on top of `accord.calendar` (no database), so each case of the rules in
DOMAIN.md section 5 can be tested on its own.
"""

from __future__ import annotations

import datetime as dt

from accord.calendar import (
    LONDON,
    WorkingCalendar,
    add_days,
    add_months,
    add_weeks,
    london_date,
    london_wall_time,
)

UNITS = ("calendar_days", "working_days", "weeks", "months", "next_working_day_at", "hours")


def compute_due(
    *,
    unit: str,
    period: int,
    at_time: dt.time | None,
    start: dt.datetime,
    calendar: WorkingCalendar,
    default_time: dt.time,
) -> dt.datetime:
    """The aware Europe/London moment a deadline falls due, counted from `start`.

    Day-based periods are counted on `start`'s Europe/London date ("within N working days of X"
    does not count X) and fall due at `at_time`, or `default_time` when the rule sets none.
    `next_working_day_at` is wall time `at_time` on the Nth working day after `start`'s date.
    `hours` are elapsed hours from the moment itself (a service standard such as "within 24
    hours of the meeting's end"): they take no time of day, run through nights, weekends and bank
    holidays, and across a clock change keep the elapsed time, so the wall time moves by an hour.
    """
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("The start of a deadline must be a timezone-aware moment.")
    if unit not in UNITS:
        raise ValueError(f"Unknown unit {unit!r}; expected one of {', '.join(UNITS)}.")
    if unit == "hours":
        if at_time is not None:
            raise ValueError(
                "An hours rule counts from the moment itself: it takes no time of day."
            )
        # Aware arithmetic in one zone adds wall time; elapsed hours are added in UTC.
        return (start.astimezone(dt.UTC) + dt.timedelta(hours=period)).astimezone(LONDON)
    at = at_time or default_time
    start_day = london_date(start)
    if unit == "next_working_day_at":
        if at_time is None or period < 1:
            raise ValueError(
                "A next-working-day rule needs a time of day and a period of 1 or more."
            )
        if period == 1:
            return calendar.next_working_day_at(start, at_time)
        return london_wall_time(calendar.add_working_days(start_day, period), at_time)
    if unit == "working_days":
        day = calendar.add_working_days(start_day, period)
    elif unit == "calendar_days":
        day = add_days(start_day, period)
    elif unit == "weeks":
        day = add_weeks(start_day, period)
    else:
        day = add_months(start_day, period)
    return london_wall_time(day, at)


def before_reminder_moment(
    *,
    due_at: dt.datetime,
    now: dt.datetime,
    calendar: WorkingCalendar,
    lead_working_days: int,
    short_lead_working_days: int,
    send_time: dt.time,
) -> dt.datetime | None:
    """When to send the "before" reminder, or None when there is no time left for one.

    Normally `send_time` on the working day `lead_working_days` before the due date. A short
    deadline, whose normal reminder would already be in the past, gets one `short_lead_working_days`
    before instead; if that has passed too, only the "due" reminder is sent.
    """
    due_day = london_date(due_at)
    for lead in (lead_working_days, short_lead_working_days):
        moment = london_wall_time(calendar.add_working_days(due_day, -lead), send_time)
        if now < moment < due_at:
            return moment
    return None
