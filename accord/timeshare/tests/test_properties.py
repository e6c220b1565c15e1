"""Hypothesis properties of the time-share calculator (issue 12, item 2)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from accord.timeshare import (
    PATTERNS,
    Exception_,
    Handover,
    HolidayRule,
    Rotation,
    Schedule,
    Term,
    compute,
)

SETTINGS = settings(max_examples=150, deadline=None, database=None)

anchors = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2060, 12, 31))
times = st.times().map(lambda t: t.replace(microsecond=0))
rotations = st.lists(st.sampled_from("AB"), min_size=1, max_size=21).map(
    lambda days: Rotation(tuple(days))
)
fourteen = st.lists(st.sampled_from("AB"), min_size=14, max_size=14).map(
    lambda days: Rotation(tuple(days))
)


@st.composite
def schedules(draw: st.DrawFn) -> tuple[Schedule, dt.date, dt.date]:
    anchor = draw(anchors)
    start = anchor + dt.timedelta(days=draw(st.integers(0, 400)))
    end = start + dt.timedelta(days=draw(st.integers(0, 120)))
    holidays = []
    if draw(st.booleans()):
        h_start = start + dt.timedelta(days=draw(st.integers(-5, 60)))
        h_end = h_start + dt.timedelta(days=draw(st.integers(0, 10)))
        split = None
        if draw(st.booleans()) and h_end > h_start:
            split = dt.datetime.combine(h_start + dt.timedelta(days=1), dt.time(13, 0))
        holidays.append(
            HolidayRule("Holiday", h_start, h_end, alternate=("A", "B"), split_at=split)
        )
    exceptions = []
    if draw(st.booleans()):
        exceptions.append(Exception_(start + dt.timedelta(days=draw(st.integers(0, 30))), "B"))
    handovers = tuple(
        Handover(weekday, draw(times)) for weekday in draw(st.sets(st.integers(0, 6)))
    )
    schedule = Schedule(
        draw(rotations),
        anchor,
        handover_time=draw(times),
        cutoff=draw(st.sampled_from([dt.time(0), dt.time(20), dt.time(6)])),
        holidays=tuple(holidays),
        exceptions=tuple(exceptions),
        handovers=handovers,
        terms=(Term(start, end),),
        exclude_school_hours=draw(st.booleans()),
    )
    return schedule, start, end


@SETTINGS
@given(schedules())
def test_every_night_and_every_hour_belongs_to_exactly_one_carer(
    case: tuple[Schedule, dt.date, dt.date],
) -> None:
    schedule, start, end = case
    result = compute(schedule, start, end, children=2)
    ndays = (end - start).days + 1
    for child in (1, 2):
        share = result[child]
        nights = sorted(d for cs in share.carers.values() for d in cs.nights)
        assert nights == [start + dt.timedelta(days=i) for i in range(ndays)]
        seconds = sum(cs.seconds for cs in share.carers.values())
        assert seconds + share.third_party_seconds == ndays * 86_400
        assert all(cs.seconds >= 0 for cs in share.carers.values())
        assert [d.carer for d in share.days] == [share.carer_on(d.date) for d in share.days]


@SETTINGS
@given(fourteen, anchors, st.integers(0, 13), times)
def test_a_fourteen_day_rotation_over_364_days_gives_26_times_its_nights(
    rotation: Rotation, anchor: dt.date, shift: int, handover: dt.time
) -> None:
    start = anchor + dt.timedelta(days=shift)
    schedule = Schedule(rotation, anchor, handover_time=handover)
    result = compute(schedule, start, start + dt.timedelta(days=363))
    for carer, count in rotation.nights().items():
        assert result.carers[carer].overnights == 26 * count


@SETTINGS
@given(st.sampled_from(sorted(PATTERNS)), anchors, st.integers(0, 200), st.integers(0, 12))
def test_a_holiday_changes_only_its_own_dates(
    name: str, anchor: dt.date, offset: int, length: int
) -> None:
    start, end = anchor, anchor + dt.timedelta(days=260)
    base = Schedule(PATTERNS[name], anchor)
    h_start = anchor + dt.timedelta(days=offset)
    h_end = h_start + dt.timedelta(days=length)
    rule = HolidayRule("Summer", h_start, h_end, carer="B")
    with_holiday = Schedule(PATTERNS[name], anchor, holidays=(rule,))
    before, after = compute(base, start, end), compute(with_holiday, start, end)
    for old, new in zip(before.days, after.days, strict=True):
        if h_start <= old.date <= h_end:
            assert new.carer == "B"
        else:
            assert new.carer == old.carer
