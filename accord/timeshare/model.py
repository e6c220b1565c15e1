"""The schedule's parts: rotations, handovers, holiday rules, school terms and exceptions.

Every part is a frozen dataclass that checks itself when built and raises `TimeshareError`
(a `ValueError`) with a message a parent could read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

Carer = str
"""A carer code, "A" or "B" by default (see `Schedule.carers`)."""

ChildId = int | str


class TimeshareError(ValueError):
    """Bad input to the time-share calculator: the message says what and why."""


@dataclass(frozen=True, slots=True)
class Rotation:
    """A repeating rotation: one carer code per day, day 0 being the schedule's anchor date.

    `days[i]` is the carer who takes the child at the handover of day i and so has the night that
    follows it. Any length N >= 1 works; the named patterns in `PATTERNS` are 14 days long and
    start on a Monday, so give them a Monday anchor.
    """

    days: tuple[Carer, ...]
    label: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.days, str):
            object.__setattr__(self, "days", tuple(self.days))
        else:
            object.__setattr__(self, "days", tuple(self.days))
        if not self.days:
            raise TimeshareError("A rotation needs at least one day.")
        for code in self.days:
            if not isinstance(code, str) or not code.strip():
                raise TimeshareError(f"Each day of a rotation needs a carer code, not {code!r}.")

    def __len__(self) -> int:
        return len(self.days)

    def carer_on(self, day: dt.date, anchor: dt.date) -> Carer:
        """The carer of `day` by whole days since `anchor` (never ISO week numbers)."""
        return self.days[(day - anchor).days % len(self.days)]

    def nights(self) -> dict[Carer, int]:
        """Nights per carer in one turn of the rotation."""
        counts: dict[Carer, int] = {}
        for code in self.days:
            counts[code] = counts.get(code, 0) + 1
        return counts


def _pattern(days: str, label: str) -> Rotation:
    return Rotation(tuple(days), label)


PATTERNS: dict[str, Rotation] = {
    # 7 nights each
    "alternating_weeks": _pattern("AAAAAAABBBBBBB", "Alternating weeks (7 nights each)"),
    "2-2-3": _pattern("AABBAAABBAABBB", "2-2-3 (7 nights each)"),
    "2-2-5-5": _pattern("AABBAAAAABBBBB", "2-2-5-5 (7 nights each)"),
    "3-4-4-3": _pattern("AAABBBBAAAABBB", "3-4-4-3 (7 nights each)"),
    # 6 nights of 14 with B
    "4-3": _pattern("AAABBBAAAABBBA", "4-3 every week (4 and 3 nights)"),
    "every_extended_weekend": _pattern(
        "AAAABBBAAAABBB", "Every extended weekend, Friday to Monday morning (6 of 14 nights)"
    ),
    # 5 nights of 14 with B
    "9-5": _pattern("AABABBBAABAAAA", "9-5 (9 and 5 nights)"),
    # 4 nights of 14 with B
    "every_weekend": _pattern("AAAABBAAAAABBA", "Every weekend, Friday to Sunday (4 of 14 nights)"),
    # 3 nights of 14 with B
    "every_other_weekend_fri_mon": _pattern(
        "AAAABBBAAAAAAA", "Every other weekend, Friday to Monday morning (3 of 14 nights)"
    ),
    # 2 nights of 14 with B
    "every_other_weekend_fri_sun": _pattern(
        "AAAABBAAAAAAAA", "Every other weekend, Friday to Sunday (2 of 14 nights)"
    ),
}


@dataclass(frozen=True, slots=True)
class Handover:
    """The time of the exchanges that fall on one weekday (0 Monday ... 6 Sunday).

    Exchanges on other weekdays happen at the schedule's `handover_time`. Example: collect from
    school on Friday at 15:30 and return to school on Monday at 09:00.
    """

    weekday: int
    time: dt.time

    def __post_init__(self) -> None:
        if not isinstance(self.weekday, int) or not 0 <= self.weekday <= 6:
            raise TimeshareError("A handover's weekday is 0 (Monday) to 6 (Sunday).")
        if not isinstance(self.time, dt.time):
            raise TimeshareError("A handover needs a time of day.")


@dataclass(frozen=True, slots=True)
class HolidayRule:
    """A holiday that overrides the rotation; the rotation resumes at the next exchange.

    - `start`, `end`: the first and last day of the holiday (inclusive). The holiday begins on
      `start` at `start_time` and the child is handed back on the day after `end` at `end_time`
      (both default to the schedule's handover time). So the holiday's nights are exactly the
      nights of `start` .. `end`; every other date keeps the rotation's night.
    - who has the child: either `carer` (the same carer every year: a fixed day such as Mother's
      Day or a parent's religious festival) or `alternate=(even, odd)`: the first carer in even
      years, the second in odd years (by the year of `start`).
    - `split_at`: split the holiday at this moment (e.g. Christmas Eve 13:00 to Christmas Day
      13:00, then the other parent): before it the child is with the carer of the year, from it
      with the other one (the other of `alternate`, or `then` for a fixed `carer`).
    - `yearly`: repeat the rule on the same calendar dates every year of the period computed
      (29 February is skipped in other years). Moving feasts (Easter) are given one rule a year.
    - `children`: the child ids the rule applies to; empty means every child.
    """

    name: str
    start: dt.date
    end: dt.date
    carer: Carer | None = None
    alternate: tuple[Carer, Carer] | None = None
    split_at: dt.datetime | None = None
    then: Carer | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    yearly: bool = False
    children: tuple[ChildId, ...] = ()

    def __post_init__(self) -> None:
        label = self.name or "A holiday"
        if not isinstance(self.start, dt.date) or not isinstance(self.end, dt.date):
            raise TimeshareError(f"{label}: give the first and the last day as dates.")
        if self.end < self.start:
            raise TimeshareError(f"{label}: the last day is before the first day.")
        if (self.carer is None) == (self.alternate is None):
            raise TimeshareError(
                f"{label}: give either one carer for every year or a pair to alternate, not both."
            )
        if self.alternate is not None and (
            len(self.alternate) != 2 or self.alternate[0] == self.alternate[1]
        ):
            raise TimeshareError(f"{label}: alternate between two different carers.")
        if self.split_at is not None and self.alternate is None and self.then is None:
            raise TimeshareError(f"{label}: say who has the child after the split (then=...).")
        if self.split_at is None and self.then is not None:
            raise TimeshareError(f"{label}: 'then' only applies to a split holiday.")
        if self.yearly and (self.end - self.start).days > 300:
            raise TimeshareError(f"{label}: a yearly holiday must be shorter than a year.")
        object.__setattr__(self, "children", tuple(self.children))

    def carers_for(self, year: int) -> tuple[Carer, Carer | None]:
        """(carer before the split, carer after it) in a given year."""
        if self.alternate is not None:
            first, second = self.alternate
            return (first, second) if year % 2 == 0 else (second, first)
        assert self.carer is not None
        return self.carer, self.then

    def applies_to(self, child: ChildId) -> bool:
        return not self.children or child in self.children


@dataclass(frozen=True, slots=True)
class Term:
    """A school term (inclusive dates) of the service's local authority.

    School days are Monday to Friday inside a term, except bank holidays of the schedule's
    region and the term's `closures` (half-term, training days).
    """

    start: dt.date
    end: dt.date
    name: str = ""
    closures: tuple[dt.date, ...] = ()

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise TimeshareError(f"{self.name or 'A term'}: it ends before it starts.")
        object.__setattr__(self, "closures", frozenset(self.closures))


@dataclass(frozen=True, slots=True)
class Exception_:  # the trailing underscore avoids the builtin name
    """A one-off change on a single date that overrides the rotation and any holiday.

    By default the child is with `carer` for that date's night: from the handover on `on` to the
    handover the next day. With `start_time` and `end_time`, only that stretch of the day (an
    `end_time` at or before `start_time` ends the next day).
    """

    on: dt.date
    carer: Carer
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    note: str = ""
    children: tuple[ChildId, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.on, dt.date):
            raise TimeshareError("An exception needs a date.")
        if (self.start_time is None) != (self.end_time is None):
            raise TimeshareError(f"The exception on {self.on}: give both times or neither.")
        object.__setattr__(self, "children", tuple(self.children))

    def applies_to(self, child: ChildId) -> bool:
        return not self.children or child in self.children


@dataclass(frozen=True, slots=True)
class Schedule:
    """A whole schedule: the rotation from `anchor`, its handovers, holidays, terms, exceptions.

    - `handover_time`: when exchanges happen (18:00 by default); `handovers` sets other times
      for exchanges on given weekdays.
    - `cutoff`: the night belongs to whoever has the child at this time (midnight by default;
      a cut-off from noon on counts on the same evening, before noon on the next morning).
    - `until`: the last date the schedule covers (open-ended when None); `anchor` is the first.
    - `exclude_school_hours`: leave `school_day` on school days out of both parents' hours.
    - `region`: the UK region whose bank holidays are not school days (accord.calendar).
    """

    rotation: Rotation
    anchor: dt.date
    handover_time: dt.time = dt.time(18, 0)
    cutoff: dt.time = dt.time(0, 0)
    holidays: tuple[HolidayRule, ...] = ()
    terms: tuple[Term, ...] = ()
    exceptions: tuple[Exception_, ...] = ()
    exclude_school_hours: bool = False
    school_day: tuple[dt.time, dt.time] = (dt.time(9, 0), dt.time(15, 0))
    handovers: tuple[Handover, ...] = ()
    carers: tuple[Carer, ...] = ("A", "B")
    until: dt.date | None = None
    region: str | None = None
    _handover_by_weekday: tuple[dt.time, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("holidays", "terms", "exceptions", "handovers", "carers"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if not isinstance(self.rotation, Rotation):
            raise TimeshareError("A schedule needs a rotation.")
        if not isinstance(self.anchor, dt.date) or isinstance(self.anchor, dt.datetime):
            raise TimeshareError("The anchor is a date (the rotation's day 0).")
        if len(set(self.carers)) != len(self.carers) or not self.carers:
            raise TimeshareError("List each carer code once.")
        known = set(self.carers)

        def check(code: str | None, where: str) -> None:
            if code is not None and code not in known:
                raise TimeshareError(
                    f"{where}: unknown carer code {code!r} (known: {', '.join(self.carers)})."
                )

        for code in self.rotation.days:
            check(code, "The rotation")
        for rule in self.holidays:
            check(rule.carer, rule.name)
            check(rule.then, rule.name)
            for code in rule.alternate or ():
                check(code, rule.name)
        for exc in self.exceptions:
            check(exc.carer, f"The exception on {exc.on}")
        if self.until is not None and self.until < self.anchor:
            raise TimeshareError("The schedule ends before its anchor date.")
        start, end = self.school_day
        if self.exclude_school_hours and not start < end:
            raise TimeshareError("The school day must end after it starts.")
        by_weekday = [self.handover_time] * 7
        seen: dict[int, dt.time] = {}
        for handover in self.handovers:
            if handover.weekday in seen and seen[handover.weekday] != handover.time:
                raise TimeshareError(
                    "Two handovers overlap: weekday "
                    f"{handover.weekday} has both {seen[handover.weekday]:%H:%M} "
                    f"and {handover.time:%H:%M}."
                )
            seen[handover.weekday] = handover.time
            by_weekday[handover.weekday] = handover.time
        object.__setattr__(self, "_handover_by_weekday", tuple(by_weekday))

    def handover_on(self, day: dt.date) -> dt.time:
        """The time of an exchange falling on `day`."""
        return self._handover_by_weekday[day.weekday()]
