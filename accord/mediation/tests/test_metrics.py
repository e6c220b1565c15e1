"""The pure arithmetic of the case's figures: days from first contact to agreement."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.calendar.working_days import default_calendar
from accord.mediation.metrics import compute_metrics


def _weekdays_after(start: dt.date, end: dt.date) -> int:
    return sum(
        1 for n in range(1, (end - start).days + 1) if (start + dt.timedelta(days=n)).weekday() < 5
    )


def test_no_agreement_leaves_the_day_counts_empty():
    metrics = compute_metrics(
        sessions_held=2,
        first_contact=dt.date(2026, 11, 2),
        agreement=None,
        working_days_between=_weekdays_after,
    )
    assert (metrics.sessions_held, metrics.agreement) == (2, None)
    assert metrics.calendar_days is None and metrics.working_days is None


def test_days_to_agreement_do_not_count_the_day_of_first_contact():
    metrics = compute_metrics(
        sessions_held=3,
        first_contact=dt.date(2026, 11, 6),  # a Friday
        agreement=dt.date(2026, 11, 16),  # the Monday week after
        working_days_between=_weekdays_after,
    )
    assert metrics.calendar_days == 10
    assert metrics.working_days == 6


def test_agreement_on_the_day_of_first_contact_is_zero_days():
    day = dt.date(2026, 11, 9)
    metrics = compute_metrics(
        sessions_held=1, first_contact=day, agreement=day, working_days_between=_weekdays_after
    )
    assert (metrics.calendar_days, metrics.working_days) == (0, 0)


def test_bank_holidays_are_not_working_days_over_christmas():
    metrics = compute_metrics(
        sessions_held=1,
        first_contact=dt.date(2026, 12, 18),
        agreement=dt.date(2027, 1, 4),
        working_days_between=default_calendar().working_days_between,
    )
    # 21-24 Dec, 29-31 Dec and 4 Jan: Christmas, Boxing Day (substitute 28th), New Year out.
    assert metrics.calendar_days == 17
    assert metrics.working_days == 8


def test_an_agreement_before_first_contact_or_negative_sessions_is_refused():
    with pytest.raises(ValueError):
        compute_metrics(
            sessions_held=0,
            first_contact=dt.date(2026, 11, 9),
            agreement=dt.date(2026, 11, 8),
            working_days_between=_weekdays_after,
        )
    with pytest.raises(ValueError):
        compute_metrics(
            sessions_held=-1,
            first_contact=dt.date(2026, 11, 9),
            agreement=None,
            working_days_between=_weekdays_after,
        )
