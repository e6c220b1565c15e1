"""The time-share calculator: patterns, handovers, holidays, terms, exceptions and bad input."""

from __future__ import annotations

import ast
import datetime as dt
import doctest
import json
import os
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

import pytest

import accord.timeshare
from accord.timeshare import (
    PATTERNS,
    Exception_,
    Handover,
    HolidayRule,
    Rotation,
    Schedule,
    Stretch,
    Term,
    TimeshareError,
    compute,
    differing_days,
    schedule_from_data,
    schedule_to_data,
)

MONDAY = dt.date(2026, 1, 5)


def days(n: int, start: dt.date = MONDAY) -> dt.date:
    return start + dt.timedelta(days=n)


@pytest.mark.parametrize(
    ("name", "b_nights"),
    [
        ("alternating_weeks", 7),
        ("2-2-3", 7),
        ("2-2-5-5", 7),
        ("3-4-4-3", 7),
        ("4-3", 6),
        ("every_extended_weekend", 6),
        ("9-5", 5),
        ("every_weekend", 4),
        ("every_other_weekend_fri_mon", 3),
        ("every_other_weekend_fri_sun", 2),
    ],
)
def test_named_patterns_give_the_nights_in_domain_section_8(name: str, b_nights: int) -> None:
    rotation = PATTERNS[name]
    assert len(rotation) == 14
    assert rotation.label
    result = compute(Schedule(rotation, MONDAY), MONDAY, days(13))
    assert result.carers["B"].overnights == b_nights
    assert result.carers["A"].overnights == 14 - b_nights


def test_every_other_weekend_friday_to_monday_counts_hours_from_the_handovers() -> None:
    schedule = Schedule(
        PATTERNS["every_other_weekend_fri_mon"],
        MONDAY,
        handovers=(Handover(4, dt.time(15, 30)), Handover(0, dt.time(9, 0))),
    )
    result = compute(schedule, MONDAY, days(13))
    b = result.carers["B"]
    # Friday 15:30 to Monday 09:00: 8.5 + 24 + 24 + 9 hours.
    assert b.hours == Fraction(131, 2)
    assert b.nights == [days(4), days(5), days(6)]
    assert result.carers["A"].hours == 14 * 24 - Fraction(131, 2)
    assert b.percent_nights == Decimal("21.43")
    friday = result.days[4]
    assert friday.carers == ("A", "B")
    assert friday.handovers == ((dt.time(15, 30), "B"),)


def test_the_rotation_turns_on_days_since_the_anchor_not_iso_weeks() -> None:
    # 2026 has 53 ISO weeks: week-number parity would give B two weeks running around new year.
    anchor = dt.date(2026, 12, 21)
    result = compute(Schedule(PATTERNS["alternating_weeks"], anchor), anchor, dt.date(2027, 1, 17))
    assert [result.carer_on(days(7 * w, anchor)) for w in range(4)] == ["A", "B", "A", "B"]


def test_a_custom_rotation_of_any_length() -> None:
    result = compute(Schedule(Rotation(("A", "B", "B")), MONDAY), MONDAY, days(8))
    assert result.carers["A"].overnights == 3
    assert result.carers["B"].overnights == 6


def test_cutoff_in_the_evening_counts_the_same_evening() -> None:
    # Handover at 20:00, cut-off 19:00: the night of the handover day stays with the old carer.
    schedule = Schedule(Rotation(("A", "B")), MONDAY, handover_time=dt.time(20), cutoff=dt.time(19))
    result = compute(schedule, MONDAY, days(1))
    assert [d.carer for d in result.days] == ["B", "A"]


def test_christmas_alternates_between_even_and_odd_years_and_splits_at_one_oclock() -> None:
    christmas = HolidayRule(
        "Christmas",
        dt.date(2026, 12, 24),
        dt.date(2026, 12, 25),
        alternate=("A", "B"),
        split_at=dt.datetime(2026, 12, 25, 13, 0),
        start_time=dt.time(13, 0),
        yearly=True,
    )
    schedule = Schedule(Rotation(("A",)), MONDAY, holidays=(christmas,))
    result = compute(schedule, MONDAY, dt.date(2027, 12, 31))
    # 2026 (even): A from 24th 13:00, B from 25th 13:00 until the hand-back on the 26th.
    assert result.carer_on(dt.date(2026, 12, 24)) == "A"
    assert result.carer_on(dt.date(2026, 12, 25)) == "B"
    # 2027 (odd): the other way round.
    assert result.carer_on(dt.date(2027, 12, 24)) == "B"
    assert result.carer_on(dt.date(2027, 12, 25)) == "A"
    assert result.carer_on(dt.date(2027, 12, 26)) == "A"
    day = next(d for d in result.days if d.date == dt.date(2026, 12, 25))
    assert day.handovers == ((dt.time(13, 0), "B"),)
    b_hours = result.carers["B"].hours
    # 2026: 25th 13:00 to 26th 18:00 (29 h); 2027: 24th 13:00 to 25th 13:00 (24 h).
    assert b_hours == 29 + 24


def test_a_fixed_day_every_year_and_the_rotation_resumes_at_the_next_exchange() -> None:
    mothers_day = HolidayRule(
        "Mother's Day", dt.date(2026, 3, 15), dt.date(2026, 3, 15), carer="B", yearly=True
    )
    base = Schedule(Rotation(("A",)), MONDAY)
    schedule = Schedule(Rotation(("A",)), MONDAY, holidays=(mothers_day,))
    result = compute(schedule, MONDAY, dt.date(2027, 12, 31))
    assert result.carers["B"].nights == [dt.date(2026, 3, 15), dt.date(2027, 3, 15)]
    plain = compute(base, MONDAY, dt.date(2027, 12, 31))
    assert plain.carers["B"].overnights == 0
    # Back to A at the handover the day after.
    day = next(d for d in result.days if d.date == dt.date(2026, 3, 16))
    assert day.handovers == ((dt.time(18, 0), "A"),)


def test_an_exception_overrides_the_rotation_and_holidays_on_one_date() -> None:
    rule = HolidayRule("Half term", days(14), days(20), carer="B")
    schedule = Schedule(
        Rotation(("A",)),
        MONDAY,
        holidays=(rule,),
        exceptions=(
            Exception_(days(16), "A"),
            Exception_(days(2), "B", dt.time(10), dt.time(16), note="Birthday"),
        ),
    )
    result = compute(schedule, MONDAY, days(27))
    assert result.carers["B"].nights == [days(n) for n in (14, 15, 17, 18, 19, 20)]
    assert result.carers["B"].hours == 6 * 24 + 6


def test_a_holiday_for_one_child_only() -> None:
    trip = HolidayRule("Trip", days(3), days(4), carer="B", children=("ella",))
    schedule = Schedule(Rotation(("A",)), MONDAY, holidays=(trip,))
    result = compute(schedule, MONDAY, days(6), children=["ella", "sam"])
    assert result.nights_by_child("B") == [2, 0]
    assert result.carer_on(days(3), child="ella") == "B"
    assert result.carer_on(days(3), child="sam") == "A"


def test_school_hours_can_be_left_out_of_both_parents_hours() -> None:
    term = Term(MONDAY, days(13), "Spring", closures=(days(2),))
    schedule = Schedule(
        Rotation(("A",) * 7 + ("B",) * 7), MONDAY, terms=(term,), exclude_school_hours=True
    )
    result = compute(schedule, MONDAY, days(13))
    # 9 school days (10 weekdays minus the closure) of 6 hours.
    assert result.first.third_party_hours == 54
    assert result.carers["A"].hours + result.carers["B"].hours == 14 * 24 - 54
    assert [d.school for d in result.days[:5]] == [True, True, False, True, True]
    assert result.carers["A"].overnights == 7


def test_four_children_are_counted_separately() -> None:
    result = compute(Schedule(PATTERNS["2-2-5-5"], MONDAY), MONDAY, days(27), children=4)
    assert list(result.children) == [1, 2, 3, 4]
    assert result.nights_by_child("B") == [14, 14, 14, 14]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Rotation(()), "at least one day"),
        (lambda: Schedule(Rotation(("A", "C")), MONDAY), "unknown carer code 'C'"),
        (
            lambda: Schedule(
                PATTERNS["2-2-3"],
                MONDAY,
                handovers=(Handover(4, dt.time(15)), Handover(4, dt.time(18))),
            ),
            "handovers overlap",
        ),
        (lambda: Handover(7, dt.time(9)), "weekday"),
        (lambda: HolidayRule("Easter", days(5), days(2), carer="A"), "before the first day"),
        (lambda: HolidayRule("Easter", days(1), days(2)), "either one carer"),
        (
            lambda: HolidayRule(
                "Easter", days(1), days(2), carer="A", split_at=dt.datetime(2026, 1, 7)
            ),
            "after the split",
        ),
        (
            lambda: Schedule(
                PATTERNS["2-2-3"], MONDAY, holidays=(HolidayRule("X", days(1), days(1), "Z"),)
            ),
            "unknown carer code 'Z'",
        ),
        (lambda: compute(Schedule(PATTERNS["2-2-3"], MONDAY), days(5), days(1)), "ends before"),
        (
            lambda: compute(Schedule(PATTERNS["2-2-3"], MONDAY), days(-1), days(1)),
            "before the schedule",
        ),
        (
            lambda: compute(Schedule(PATTERNS["2-2-3"], MONDAY, until=days(10)), MONDAY, days(11)),
            "after the schedule",
        ),
        (lambda: compute(Schedule(PATTERNS["2-2-3"], MONDAY), MONDAY, days(1), 0), "one child"),
        (
            lambda: compute(
                Schedule(
                    PATTERNS["2-2-3"],
                    MONDAY,
                    holidays=(
                        HolidayRule("One", days(1), days(4), carer="A"),
                        HolidayRule("Two", days(3), days(6), carer="B"),
                    ),
                ),
                MONDAY,
                days(10),
            ),
            "Holidays overlap: One and Two",
        ),
        (
            lambda: compute(
                Schedule(
                    PATTERNS["2-2-3"],
                    MONDAY,
                    holidays=(
                        HolidayRule(
                            "Xmas",
                            days(1),
                            days(2),
                            "A",
                            split_at=dt.datetime(2026, 2, 1),
                            then="B",
                        ),
                    ),
                ),
                MONDAY,
                days(10),
            ),
            "split is not inside",
        ),
        (
            lambda: compute(
                Schedule(
                    PATTERNS["2-2-3"],
                    MONDAY,
                    exceptions=(Exception_(days(1), "A"), Exception_(days(1), "B")),
                ),
                MONDAY,
                days(10),
            ),
            "Exceptions overlap",
        ),
    ],
)
def test_bad_input_gets_a_clear_message(build: object, message: str) -> None:
    with pytest.raises(TimeshareError, match=message):
        build()  # type: ignore[operator]


def test_timeshare_error_is_a_value_error() -> None:
    assert issubclass(TimeshareError, ValueError)


def test_the_interface_example_in_the_package_docstring_runs() -> None:
    failures, tried = doctest.testmod(accord.timeshare, verbose=False)
    assert tried > 0
    assert failures == 0


PACKAGE_DIR = Path(accord.timeshare.__file__).resolve().parent


def test_importing_the_package_imports_no_django() -> None:
    code = (
        "import sys, accord.timeshare, accord.maintenance\n"
        "bad = sorted(n for n in sys.modules if n == 'django' or n.startswith('django.'))\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
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


def test_source_imports_only_the_calendar_from_accord() -> None:
    offenders = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                top = node.module.split(".")[0]
                allowed = node.module.startswith(("accord.timeshare", "accord.calendar"))
                if top == "django" or (top == "accord" and not allowed):
                    offenders.append(f"{path.name}: {node.module}")
            if isinstance(node, ast.Import):
                offenders += [a.name for a in node.names if a.name.split(".")[0] == "django"]
    assert offenders == []


def test_stretches_give_each_carers_unbroken_time_for_a_calendar_file() -> None:
    schedule = Schedule(
        PATTERNS["every_other_weekend_fri_sun"], MONDAY, handovers=(Handover(4, dt.time(16)),)
    )
    result = compute(schedule, MONDAY, days(13))
    assert result.first.stretches("B") == [
        Stretch(dt.datetime(2026, 1, 9, 16), dt.datetime(2026, 1, 11, 18), "B")
    ]
    every = result.first.stretches()
    assert every[0].start == dt.datetime(2026, 1, 5) and every[-1].end == dt.datetime(2026, 1, 19)
    assert all(x.end == y.start for x, y in pairwise(every))


def test_differing_days_compare_two_proposals() -> None:
    mother = compute(Schedule(PATTERNS["2-2-5-5"], MONDAY), MONDAY, days(13))
    father = compute(Schedule(PATTERNS["every_other_weekend_fri_mon"], MONDAY), MONDAY, days(13))
    # 2-2-5-5:      A A B B A A A A A B B B B B
    # fri-mon EOW:  A A A A B B B A A A A A A A
    assert differing_days(mother, father) == [days(n) for n in (2, 3, 4, 5, 6, 9, 10, 11, 12, 13)]


def test_a_schedule_survives_a_round_trip_through_plain_data() -> None:
    schedule = Schedule(
        Rotation(("A", "B", "B"), "Custom"),
        MONDAY,
        handover_time=dt.time(17, 30),
        holidays=(
            HolidayRule(
                "Christmas",
                days(300),
                days(301),
                alternate=("A", "B"),
                split_at=dt.datetime(2026, 11, 1, 13, 0),
                yearly=True,
                children=(1,),
            ),
        ),
        terms=(Term(MONDAY, days(60), "Spring", closures=(days(30), days(31))),),
        exceptions=(Exception_(days(3), "A", dt.time(10), dt.time(12), note="Dentist"),),
        handovers=(Handover(4, dt.time(15, 30)),),
        exclude_school_hours=True,
        until=days(700),
    )
    data = schedule_to_data(schedule)
    assert json.loads(json.dumps(data)) == data
    assert schedule_from_data(data) == schedule
    named = Schedule(PATTERNS["9-5"], MONDAY)
    assert schedule_to_data(named)["rotation"] == {"pattern": "9-5"}
    assert schedule_from_data(schedule_to_data(named)) == named


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "needs a rotation"),
        ({"rotation": {"pattern": "1-2-3"}, "anchor": "2026-01-05"}, "Unknown pattern"),
        ({"rotation": {"days": []}, "anchor": "2026-01-05"}, "at least one day"),
        ({"rotation": {"days": ["A"]}, "anchor": "5 Jan"}, "anchor '5 Jan' is not valid"),
        ({"rotation": {"days": ["A"]}, "anchor": "2026-01-05", "colour": 1}, "unknown field"),
        (
            {"rotation": {"days": ["A"]}, "anchor": "2026-01-05", "holidays": [{"name": "X"}]},
            "Holiday 1",
        ),
        (
            {
                "rotation": {"days": ["A"]},
                "anchor": "2026-01-05",
                "handovers": [{"weekday": "Fri", "time": "15:00"}],
            },
            "weekday 'Fri' is not valid",
        ),
    ],
)
def test_malformed_data_is_refused_naming_the_field(data: dict[str, object], message: str) -> None:
    with pytest.raises(TimeshareError, match=message):
        schedule_from_data(data)


def test_a_handover_at_midnight_shows_on_its_day() -> None:
    schedule = Schedule(Rotation(("A", "B")), MONDAY, handover_time=dt.time(0, 0))
    result = compute(schedule, MONDAY, days(2))
    tuesday = result.days[1]
    assert tuesday.carers == ("B",)
    assert tuesday.handovers == ((dt.time(0, 0), "B"),)
    # Midnight at the end of Monday is already Tuesday's handover: Monday's night goes to B.
    assert [d.carer for d in result.days] == ["B", "A", "B"]


def test_a_years_nights_per_child_feed_the_maintenance_estimate() -> None:
    """Every other weekend Friday to Monday: 3 nights in 14, 26 x 3 = 78 nights over 364 days,
    the 52-103 band (1/7 off). GWI £500, 2 children: 16% = £80, £40 each x 6/7 = £68.57."""
    from decimal import Decimal

    from accord.maintenance import weekly_maintenance

    schedule = Schedule(PATTERNS["every_other_weekend_fri_mon"], MONDAY)
    result = compute(schedule, MONDAY, days(363), children=["ella", "sam"])
    nights = result.nights_by_child("B")
    assert nights == [78, 78]
    assert weekly_maintenance(Decimal("500"), 2, nights=nights).weekly == Decimal("68.57")
