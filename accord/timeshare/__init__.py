"""Time-share: turn a parenting schedule into nights and hours with each carer. Pure Python.

No Django here (a test checks): the children part of Accord stores schedules and calls this.
See docs/children-calculators.md for the rules and their sources (DOMAIN.md section 8).

Interface
---------
- `Rotation(days, label="")`: a carer code per day ("A"/"B"), day 0 is the anchor; any length.
- `PATTERNS`: the named 14-day rotations (Monday-anchored), each with a `.label`:
  alternating_weeks, 2-2-3, 2-2-5-5, 3-4-4-3 (7 nights each), 4-3, every_extended_weekend (6 of
  14 with B), 9-5 (5), every_weekend (4), every_other_weekend_fri_mon (3),
  every_other_weekend_fri_sun (2).
- `Schedule(rotation, anchor, handover_time=18:00, cutoff=00:00, holidays=(), terms=(),
  exceptions=(), exclude_school_hours=False, school_day=(09:00, 15:00), handovers=(),
  carers=("A", "B"), until=None, region=None)`. The rotation turns on whole days since the
  anchor (never ISO weeks). `Handover(weekday, time)` moves the exchanges of one weekday.
- `HolidayRule(name, start, end, carer=None, alternate=None, split_at=None, then=None,
  start_time=None, end_time=None, yearly=False, children=())`: overrides the rotation for the
  nights `start` .. `end`; the rotation resumes at the next exchange (the hand-back the day
  after `end`). `alternate=(even_year_carer, odd_year_carer)`; `split_at` hands over inside the
  holiday; `carer` with `yearly=True` fixes a day to one carer every year.
- `Term(start, end, name="", closures=())`: school terms for `exclude_school_hours`.
- `Exception_(on, carer, start_time=None, end_time=None, note="", children=())`: one date.
- `compute(schedule, start, end, children=1) -> TimeshareResult`; `children` is a count (ids
  1..n) or a sequence of ids. `result[child][carer]` is a `CarerShare` with `.overnights`,
  `.nights` (dates), `.seconds`, `.hours` (exact `Fraction`), `.percent_nights` and
  `.percent_hours` (`Decimal`, 2 places); `result[child].third_party_hours` (school);
  `result.carer_on(date, child=None)`; `result.days` (one `Day` per date: `.carer` of the night,
  `.carers` during the day, `.handovers`, `.school`); `result.nights_by_child(carer)`;
  `result[child].stretches(carer=None)` (unbroken stretches with start/end datetimes, for
  iCalendar); `differing_days(result_a, result_b, child=None)` (dates whose night differs, to
  compare two proposals).
- `schedule_to_data(schedule)` / `schedule_from_data(data)`: the schedule as JSON-safe data
  (for a JSONField or the API) and back, refusing malformed data with `TimeshareError`.
- `TimeshareError(ValueError)`: bad input, with a message fit to show.

Example
-------
>>> import datetime as dt
>>> christmas = HolidayRule("Christmas", dt.date(2026, 12, 24), dt.date(2026, 12, 25),
...     alternate=("A", "B"), split_at=dt.datetime(2026, 12, 25, 13, 0), yearly=True)
>>> schedule = Schedule(PATTERNS["2-2-5-5"], anchor=dt.date(2026, 1, 5), holidays=(christmas,))
>>> result = compute(schedule, dt.date(2026, 1, 5), dt.date(2027, 1, 3), children=2)
>>> result[1]["A"].overnights + result[1]["B"].overnights
364
>>> result.carer_on(dt.date(2026, 12, 24))
'A'
"""

from accord.timeshare.compute import (
    CarerShare,
    ChildShare,
    Day,
    Stretch,
    TimeshareResult,
    compute,
    differing_days,
)
from accord.timeshare.data import schedule_from_data, schedule_to_data
from accord.timeshare.model import (
    PATTERNS,
    Carer,
    ChildId,
    Exception_,
    Handover,
    HolidayRule,
    Rotation,
    Schedule,
    Term,
    TimeshareError,
)

__all__ = [
    "PATTERNS",
    "Carer",
    "CarerShare",
    "ChildId",
    "ChildShare",
    "Day",
    "Exception_",
    "Handover",
    "HolidayRule",
    "Rotation",
    "Schedule",
    "Stretch",
    "Term",
    "TimeshareError",
    "TimeshareResult",
    "compute",
    "differing_days",
    "schedule_from_data",
    "schedule_to_data",
]
