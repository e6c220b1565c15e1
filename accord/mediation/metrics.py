"""The case's mediation figures: sessions held and the time from first contact to agreement.

Pure Python (no Django): the selector gathers the dates and passes the service's working-day
count, so the arithmetic can be tested on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MediationMetrics:
    """Sessions held, first contact, agreement, and the days between (None until agreed)."""

    sessions_held: int
    first_contact: dt.date
    agreement: dt.date | None
    calendar_days: int | None
    working_days: int | None


def compute_metrics(
    *,
    sessions_held: int,
    first_contact: dt.date,
    agreement: dt.date | None,
    working_days_between: Callable[[dt.date, dt.date], int],
) -> MediationMetrics:
    """Count the days from first contact to agreement, first contact itself not counted.

    `working_days_between(a, b)` counts the working days after `a` up to and including `b`, as
    `accord.calendar.WorkingCalendar.working_days_between` does.
    """
    if sessions_held < 0:
        raise ValueError("sessions_held cannot be negative.")
    if agreement is None:
        return MediationMetrics(sessions_held, first_contact, None, None, None)
    if agreement < first_contact:
        raise ValueError("Agreement cannot come before first contact.")
    return MediationMetrics(
        sessions_held=sessions_held,
        first_contact=first_contact,
        agreement=agreement,
        calendar_days=(agreement - first_contact).days,
        working_days=working_days_between(first_contact, agreement),
    )
