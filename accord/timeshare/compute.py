"""Turn a schedule into nights and hours per child and carer.

The child's time is a line of instants, in whole seconds from midnight at the start of the
period. The rotation lays down who has the child; holidays, then exceptions, paint over
stretches of it. Nights are read at the cut-off, hours are the lengths of the stretches (on the
wall clock: every day has 24 hours, clock changes are ignored).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import pairwise
from typing import NamedTuple

from accord.calendar import DEFAULT_REGION, package_bank_holidays, validate_region
from accord.timeshare.model import (
    Carer,
    ChildId,
    HolidayRule,
    Schedule,
    TimeshareError,
)

DAY = 86_400
MAX_DAYS = 366 * 10
"""The longest period computed at once (ten years)."""

_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


def _secs(t: dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _percent(part: int, whole: int) -> Decimal:
    if whole == 0:
        return Decimal("0.00")
    return (Decimal(part) * _HUNDRED / Decimal(whole)).quantize(_CENT, ROUND_HALF_UP)


@dataclass(slots=True)
class CarerShare:
    """One carer's share of one child's time over the period."""

    carer: Carer
    nights: list[dt.date] = field(default_factory=list)
    seconds: int = 0
    percent_nights: Decimal = Decimal("0.00")
    percent_hours: Decimal = Decimal("0.00")

    @property
    def overnights(self) -> int:
        return len(self.nights)

    @property
    def hours(self) -> Fraction:
        """Exact hours (a Fraction; `float()` or `Decimal` it for display)."""
        return Fraction(self.seconds, 3600)


class Day(NamedTuple):
    """One date for a month calendar: who has the night, and every exchange during the day."""

    date: dt.date
    carer: Carer  # who has the child at the cut-off of this date's night
    carers: tuple[Carer, ...]  # everyone who has the child at some time this day, in order
    handovers: tuple[tuple[dt.time, Carer], ...]  # (time, carer taking over) within the day
    school: bool = False


class Stretch(NamedTuple):
    """An unbroken stretch with one carer (wall-clock, naive datetimes), e.g. for iCalendar."""

    start: dt.datetime
    end: dt.datetime
    carer: Carer


@dataclass(slots=True)
class ChildShare:
    """One child's time over the period."""

    child: ChildId
    carers: dict[Carer, CarerShare]
    days: list[Day]
    third_party_seconds: int = 0
    segments: list[tuple[int, int, Carer]] = field(default_factory=list, repr=False)

    def stretches(self, carer: Carer | None = None) -> list[Stretch]:
        """The period as stretches with one carer (only `carer`'s when given), school included."""
        origin = dt.datetime.combine(self.days[0].date, dt.time(0))
        return [
            Stretch(origin + dt.timedelta(seconds=a), origin + dt.timedelta(seconds=b), who)
            for a, b, who in self.segments
            if carer is None or who == carer
        ]

    def __getitem__(self, carer: Carer) -> CarerShare:
        return self.carers[carer]

    @property
    def third_party_hours(self) -> Fraction:
        return Fraction(self.third_party_seconds, 3600)

    def carer_on(self, day: dt.date) -> Carer:
        index = (day - self.days[0].date).days
        if not 0 <= index < len(self.days):
            raise TimeshareError(f"{day} is outside the period computed.")
        return self.days[index].carer


@dataclass(slots=True)
class TimeshareResult:
    """`compute`'s answer: per child (`result[child]`), per carer (`result[child][carer]`)."""

    schedule: Schedule
    start: dt.date
    end: dt.date
    children: dict[ChildId, ChildShare]

    def __getitem__(self, child: ChildId) -> ChildShare:
        return self.children[child]

    @property
    def first(self) -> ChildShare:
        return next(iter(self.children.values()))

    @property
    def days(self) -> list[Day]:
        """The first child's days (all children share them unless a rule names a child)."""
        return self.first.days

    @property
    def carers(self) -> dict[Carer, CarerShare]:
        """The first child's shares per carer."""
        return self.first.carers

    def carer_on(self, day: dt.date, child: ChildId | None = None) -> Carer:
        share = self.first if child is None else self.children[child]
        return share.carer_on(day)

    def nights_by_child(self, carer: Carer) -> list[int]:
        """Overnights with `carer` per child, in the order given (for child maintenance)."""
        return [share.carers[carer].overnights for share in self.children.values()]


class _Line:
    """Who has the child from each breakpoint on: parallel sorted lists of instants and carers."""

    __slots__ = ("at", "who")

    def __init__(self, at: list[int], who: list[Carer]) -> None:
        self.at = at
        self.who = who

    def carer_at(self, instant: int) -> Carer:
        return self.who[bisect_right(self.at, instant) - 1]

    def paint(self, a: int, b: int, carer: Carer) -> None:
        a = max(a, self.at[0])
        if a >= b:
            return
        after = self.carer_at(b)
        i = bisect_left(self.at, a)
        j = bisect_right(self.at, b)
        self.at[i:j] = [a, b]
        self.who[i:j] = [carer, after]

    def merged(self) -> _Line:
        """The same line without breakpoints where nobody changes."""
        at, who = [self.at[0]], [self.who[0]]
        for instant, carer in zip(self.at[1:], self.who[1:], strict=True):
            if carer != who[-1]:
                at.append(instant)
                who.append(carer)
        return _Line(at, who)


def _children(children: int | Sequence[ChildId]) -> list[ChildId]:
    if isinstance(children, bool | str):
        raise TimeshareError("Give the number of children or a list of their ids.")
    if isinstance(children, int):
        if children < 1:
            raise TimeshareError("Compute for at least one child.")
        return list(range(1, children + 1))
    ids = list(children)
    if not ids:
        raise TimeshareError("Compute for at least one child.")
    if len(set(ids)) != len(ids):
        raise TimeshareError("Each child id must be given once.")
    return ids


def _holiday_occurrences(
    rule: HolidayRule, first: dt.date, last: dt.date
) -> Iterable[tuple[HolidayRule, dt.date, dt.date, dt.datetime | None]]:
    if not rule.yearly:
        yield rule, rule.start, rule.end, rule.split_at
        return
    span = rule.end - rule.start
    for year in range(first.year - 1, last.year + 1):
        shift = year - rule.start.year
        try:
            start = rule.start.replace(year=year)
            split = (
                rule.split_at.replace(year=rule.split_at.year + shift) if rule.split_at else None
            )
        except ValueError:  # 29 February in a common year
            continue
        yield rule, start, start + span, split


def compute(
    schedule: Schedule,
    start: dt.date,
    end: dt.date,
    children: int | Sequence[ChildId] = 1,
) -> TimeshareResult:
    """Nights, hours and percentages per child and carer for the dates `start` .. `end`.

    The night of a date goes to whoever has the child at the cut-off; the hours run from
    midnight at the start of `start` to midnight at the end of `end`.
    """
    if not isinstance(schedule, Schedule):
        raise TimeshareError("compute() needs a Schedule.")
    for value, name in ((start, "start"), (end, "end")):
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise TimeshareError(f"The {name} of the period must be a date.")
    if end < start:
        raise TimeshareError("The period ends before it starts.")
    if start < schedule.anchor:
        raise TimeshareError(
            f"The period starts on {start}, before the schedule does ({schedule.anchor})."
        )
    if schedule.until is not None and end > schedule.until:
        raise TimeshareError(
            f"The period ends on {end}, after the schedule does ({schedule.until})."
        )
    ndays = (end - start).days + 1
    if ndays > MAX_DAYS:
        raise TimeshareError("Compute at most ten years at a time.")
    ids = _children(children)

    # The rotation's line, shared by every child: the day before the period to two days after.
    rotation, anchor = schedule.rotation, schedule.anchor
    period = len(rotation.days)
    offset = (start - anchor).days
    day_carers = [rotation.days[(offset + i) % period] for i in range(-1, ndays + 3)]
    at: list[int] = [-DAY]
    who: list[Carer] = [day_carers[0]]
    for i in range(1, len(day_carers)):
        if day_carers[i] != day_carers[i - 1]:
            day = start + dt.timedelta(days=i - 1)
            at.append((i - 1) * DAY + _secs(schedule.handover_on(day)))
            who.append(day_carers[i])

    def instant(day: dt.date, t: dt.time) -> int:
        return (day - start).days * DAY + _secs(t)

    def instant_dt(moment: dt.datetime) -> int:
        return instant(moment.date(), moment.time())

    # Holidays and exceptions within reach of the period, as painted stretches.
    first, last = start - dt.timedelta(days=400), end + dt.timedelta(days=1)
    holiday_spans: list[tuple[int, int, int | None, Carer, Carer | None, HolidayRule]] = []
    for rule in schedule.holidays:
        for rule_, h_start, h_end, split in _holiday_occurrences(rule, first, last):
            if h_end < first or h_start > last:
                continue
            a = instant(h_start, rule_.start_time or schedule.handover_on(h_start))
            back = h_end + dt.timedelta(days=1)
            b = instant(back, rule_.end_time or schedule.handover_on(back))
            if b <= a:
                raise TimeshareError(f"{rule_.name}: the hand-back is before the start.")
            s = None
            if split is not None:
                s = instant_dt(split)
                if not a < s < b:
                    raise TimeshareError(f"{rule_.name}: the split is not inside the holiday.")
            one, two = rule_.carers_for(h_start.year)
            holiday_spans.append((a, b, s, one, two, rule_))
    exception_spans = []
    for exc in schedule.exceptions:
        if exc.start_time is not None and exc.end_time is not None:
            a = instant(exc.on, exc.start_time)
            b = instant(exc.on, exc.end_time)
            if b <= a:
                b += DAY
        else:
            nxt = exc.on + dt.timedelta(days=1)
            a = instant(exc.on, schedule.handover_on(exc.on))
            b = instant(nxt, schedule.handover_on(nxt))
        exception_spans.append((a, b, exc))

    def check_overlaps(spans: list[tuple[int, int, str]], what: str) -> None:
        spans = sorted(spans)
        for (_a1, b1, n1), (a2, _b2, n2) in pairwise(spans):
            if a2 < b1:
                raise TimeshareError(f"{what} overlap: {n1} and {n2}.")

    # School stretches (the same for every child).
    school: list[tuple[int, int]] = []
    school_days: set[int] = set()
    dates = [start + dt.timedelta(days=i) for i in range(ndays)]
    if schedule.terms:
        s0, s1 = (_secs(t) for t in schedule.school_day)
        region = validate_region(schedule.region or DEFAULT_REGION)
        bank: set[dt.date] = set()
        for year in range(start.year, end.year + 1):
            bank.update(package_bank_holidays(region, year))
        for term in schedule.terms:
            lo = max((term.start - start).days, 0)
            hi = min((term.end - start).days, ndays - 1)
            for i in range(lo, hi + 1):
                day = dates[i]
                if day.weekday() < 5 and day not in bank and day not in term.closures:
                    school_days.add(i)
        if schedule.exclude_school_hours:
            school = [(i * DAY + s0, i * DAY + s1) for i in sorted(school_days)]

    cut = _secs(schedule.cutoff)
    night_shift = cut if cut >= 12 * 3600 else DAY + cut
    total = ndays * DAY
    results: dict[ChildId, ChildShare] = {}
    cache: dict[tuple[int, ...], ChildShare] = {}
    for child in ids:
        hol = [h for h in holiday_spans if h[5].applies_to(child)]
        exc_here = [e for e in exception_spans if e[2].applies_to(child)]
        key = (*(id(h) for h in hol), -1, *(id(e) for e in exc_here))
        if key in cache:
            results[child] = _copy_share(cache[key], child)
            continue
        check_overlaps([(h[0], h[1], h[5].name) for h in hol], "Holidays")
        check_overlaps(
            [(e[0], e[1], f"the exception on {e[2].on}") for e in exc_here], "Exceptions"
        )
        line = _Line(list(at), list(who))
        for a, b, s, one, two, _rule in hol:
            if s is None:
                line.paint(a, b, one)
            else:
                assert two is not None
                line.paint(a, s, one)
                line.paint(s, b, two)
        for a, b, exc in exc_here:
            line.paint(a, b, exc.carer)
        if hol or exc_here:
            line = line.merged()
        share = _measure(schedule, dates, total, night_shift, line, school, school_days)
        share.child = child
        cache[key] = share
        results[child] = share
    return TimeshareResult(schedule=schedule, start=start, end=end, children=results)


def _copy_share(share: ChildShare, child: ChildId) -> ChildShare:
    return ChildShare(
        child=child,
        carers={
            code: CarerShare(
                carer=code,
                nights=list(cs.nights),
                seconds=cs.seconds,
                percent_nights=cs.percent_nights,
                percent_hours=cs.percent_hours,
            )
            for code, cs in share.carers.items()
        },
        days=share.days,
        third_party_seconds=share.third_party_seconds,
        segments=share.segments,
    )


def _measure(
    schedule: Schedule,
    dates: list[dt.date],
    total: int,
    night_shift: int,
    line: _Line,
    school: list[tuple[int, int]],
    school_days: set[int],
) -> ChildShare:
    shares = {code: CarerShare(carer=code) for code in schedule.carers}
    at, who = line.at, line.who
    # Hours: each stretch clipped to [0, total).
    segments = []
    for k in range(len(at)):
        a = max(at[k], 0)
        b = min(at[k + 1], total) if k + 1 < len(at) else total
        if b > a:
            shares[who[k]].seconds += b - a
            segments.append((a, b, who[k]))
    third = 0
    for a, b in school:
        k = bisect_right(at, a) - 1
        while a < b:
            nxt = at[k + 1] if k + 1 < len(at) else b
            upto = min(nxt, b)
            shares[who[k]].seconds -= upto - a
            third += upto - a
            a = upto
            k += 1
    # Nights and the per-day view, in one sweep.
    days: list[Day] = []
    k = bisect_right(at, 0) - 1
    n = len(at)
    times: dict[int, dt.time] = {}
    alone = {code: (code,) for code in shares}
    nights = {code: cs.nights for code, cs in shares.items()}
    never = total + 3 * DAY
    following = at[k + 1] if k + 1 < n else never
    for i, day in enumerate(dates):
        day0 = i * DAY
        while following < day0:
            k += 1
            following = at[k + 1] if k + 1 < n else never
        if following >= day0 + DAY and following > day0 + night_shift:
            # The common day: nobody changes hands from midnight to the cut-off.
            night = who[k]
            nights[night].append(day)
            days.append(Day(day, night, alone[night], (), i in school_days))
            continue
        # A handover at midnight belongs to this day: the old carer has none of it.
        carers = [] if k + 1 < n and at[k + 1] == day0 else [who[k]]
        moves: list[tuple[dt.time, Carer]] = []
        j = k + 1
        while j < n and at[j] < day0 + DAY:
            secs = at[j] - day0
            moment = times.get(secs)
            if moment is None:
                moment = times[secs] = dt.time(secs // 3600, secs % 3600 // 60, secs % 60)
            moves.append((moment, who[j]))
            if not carers or who[j] != carers[-1]:
                carers.append(who[j])
            j += 1
        night_at = day0 + night_shift
        m = k
        while m + 1 < n and at[m + 1] <= night_at:
            m += 1
        night = who[m]
        nights[night].append(day)
        days.append(Day(day, night, tuple(carers), tuple(moves), i in school_days))
    ndays = len(dates)
    counted = total - third
    for cs in shares.values():
        cs.percent_nights = _percent(cs.overnights, ndays)
        cs.percent_hours = _percent(cs.seconds, counted)
    return ChildShare(
        child=0, carers=shares, days=days, third_party_seconds=third, segments=segments
    )


def differing_days(
    one: TimeshareResult, other: TimeshareResult, child: ChildId | None = None
) -> list[dt.date]:
    """The dates both results cover whose night goes to a different carer (to compare proposals).

    `child` picks the child in each result (the first child when None).
    """
    a = one.first if child is None else one[child]
    b = other.first if child is None else other[child]
    theirs = {day.date: day.carer for day in b.days}
    return [day.date for day in a.days if day.date in theirs and theirs[day.date] != day.carer]
