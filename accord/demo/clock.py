"""The demo's clock: each step of a demo story runs "as of" the day the story says it happened.

The loader goes through the ordinary services, which stamp audit events, deadlines and
timestamps with the current time. Running a step inside ``story_time`` moves that clock (with
`time-machine`, which also moves ``time.time`` and the database defaults), so a case opened eight
weeks ago shows eight weeks of history, its MIAMs days later, its sessions after, and its
deadlines fall where that history puts them. The clock keeps ticking inside a step, so events
within it stay in order.

Use from a story module (``accord/demo/story_NAME.py``)::

    from accord.demo.clock import story_time

    with story_time(days_ago=30):
        case = case_services.case_open(...)
    with story_time(days_ago=26, at="14:30"):
        journey.answer_willing(invitation)

Days are counted back from the real today (Europe/London), and a story day that falls on a
weekend moves back to the Friday before (services work on weekdays) unless ``weekday=False``.
Run the steps of one case in date order; end with the things still to come (bookings next
week) at ``days_ago=0``, so they are in the future when someone opens the demo.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import time_machine

LONDON = ZoneInfo("Europe/London")


def real_now() -> dt.datetime:
    """The real time, even while a story step has moved the clock."""
    if time_machine.escape_hatch.is_travelling():
        return dt.datetime.fromtimestamp(time_machine.escape_hatch.time.time(), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC)


def story_moment(*, days_ago: int, at: str = "10:00", weekday: bool = True) -> dt.datetime:
    """The aware moment ``days_ago`` days before the real today at ``at`` (HH:MM, UK time)."""
    if days_ago < 0:
        raise ValueError("A demo story happens in the past: days_ago must be 0 or more.")
    hour, minute = (int(part) for part in at.split(":"))
    day = real_now().astimezone(LONDON).date() - dt.timedelta(days=days_ago)
    while weekday and day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    moment = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)
    if days_ago == 0:
        # Today's steps happen now, never later today: what they book must still be ahead.
        moment = min(moment, real_now().astimezone(LONDON))
    return moment


@contextlib.contextmanager
def story_time(*, days_ago: int, at: str = "10:00", weekday: bool = True) -> Iterator[dt.datetime]:
    """Run the block as if it were ``days_ago`` days ago at ``at``; yields that moment."""
    moment = story_moment(days_ago=days_ago, at=at, weekday=weekday)
    with time_machine.travel(moment, tick=True):
        yield moment


class StoryClock:
    """A clock a long loader moves forward step by step (``go``), then stops (``stop``).

    The same as a series of ``story_time`` blocks, without indenting each step. A step that is
    later in the story (fewer days ago) never lands before the one before it, even when a weekend
    moves both onto the same Friday: it then happens a few minutes after it; so does a step on the
    same story day and date as the one before at an earlier hour. A step with more days ago (or
    as many, on another date) starts another thread of the story (another case) and may go back.
    """

    def __init__(self) -> None:
        self._traveller: time_machine.travel | None = None
        self._days_ago: int | None = None

    def go(self, days_ago: int, at: str = "10:00", *, weekday: bool = True) -> dt.datetime:
        """Move the clock to this story day; later steps happen then."""
        current = dt.datetime.now(tz=dt.UTC) if self._traveller is not None else None
        self.stop()
        moment = story_moment(days_ago=days_ago, at=at, weekday=weekday)
        forward = self._days_ago is not None and days_ago < self._days_ago
        if (
            current is not None
            and days_ago == self._days_ago
            and moment.astimezone(LONDON).date() == current.astimezone(LONDON).date()
        ):
            # The same story day again, which a weekend may have moved after a later step of
            # the same thread (Friday 16:10, then "yesterday at 13:50" is Friday too): keep going.
            forward = True
        if forward and current is not None and moment <= current:
            moment = current + dt.timedelta(minutes=5)
        self._days_ago = days_ago
        self._traveller = time_machine.travel(moment, tick=True)
        self._traveller.start()
        return moment

    def later(self, minutes: int) -> dt.datetime:
        """Move the clock on by some minutes from where it is (the same thread of the story)."""
        moment = dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=minutes)
        self.stop()
        self._traveller = time_machine.travel(moment, tick=True)
        self._traveller.start()
        return moment

    def stop(self) -> None:
        """Back to the real time."""
        if self._traveller is not None:
            self._traveller.stop()
            self._traveller = None


@contextlib.contextmanager
def story_clock() -> Iterator[StoryClock]:
    """A StoryClock that always returns to the real time at the end, even after an error."""
    clock = StoryClock()
    try:
        yield clock
    finally:
        clock.stop()
