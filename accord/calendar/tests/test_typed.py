"""Reading typed dates: every usual UK shape, and nothing that is not a real date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.calendar.typed import parse_typed_date

FIFTH_DEC = dt.date(2026, 12, 5)


@pytest.mark.parametrize(
    "typed",
    [
        "5/12/2026",
        "05/12/2026",
        "5 Dec 2026",
        "5 december 2026",
        "5th December 2026",
        "5 of December, 2026",
        "05-12-2026",
        "5.12.2026",
        "5 12 2026",
        "  5 / 12 / 2026 ",
        "2026-12-05",
        "5/12/26",
        "05122026",
        "5 DEC 2026",
        "5 Sept 2026".replace("Sept", "Dec"),
    ],
)
def test_usual_shapes_read_as_the_fifth_of_december(typed: str) -> None:
    assert parse_typed_date(typed) == FIFTH_DEC


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "next tuesday",
        "31/02/2027",
        "32/1/2026",
        "5/13/2026",
        "0/12/2026",
        "5 Decembre 2026",
        "5/12",
        "5/12/2026/1",
        "12345/12/2026",
        "5/12/20266",
        "2026-13-01",
    ],
)
def test_what_is_not_a_real_date_is_refused(typed: str) -> None:
    assert parse_typed_date(typed) is None


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_every_date_round_trips_in_each_shape(day: dt.date) -> None:
    month_name = day.strftime("%B")
    for typed in (
        f"{day.day}/{day.month}/{day.year}",
        f"{day.day:02d}-{day.month:02d}-{day.year}",
        f"{day.day} {month_name} {day.year}",
        f"{day.day} {month_name[:3]} {day.year}",
        day.isoformat(),
    ):
        assert parse_typed_date(typed) == day, typed


@given(st.text(max_size=30))
def test_any_text_gives_a_date_or_none_never_an_error(text: str) -> None:
    result = parse_typed_date(text)
    assert result is None or isinstance(result, dt.date)
