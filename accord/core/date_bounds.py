"""Sane ranges for dates people type, per field: one rule for forms and API schemas.

A date of birth in 1066 or a session in 3026 is a typing mistake, and left in place it breaks
calendars, ages and deadline arithmetic later. Every date field accepts 1 January 1900 to ten
years ahead unless it says otherwise; fields whose date cannot be in the future (a date of
birth, a decision already made, a referral already sent) refuse tomorrow too.

A field chooses its bounds explicitly (``date_bounds`` on a form field, or a `DateBounds` in an
API field's ``Annotated`` metadata), or by its name (`bounds_for_name`). This module imports
nothing from Django; the caller passes today's date in the service's time zone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

EARLIEST = dt.date(1900, 1, 1)


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class DateBounds:
    """The earliest date a field accepts and how many years ahead it may be (0: not after today)."""

    earliest: dt.date = EARLIEST
    years_ahead: int = 10
    what: str = "date"
    #: Wording for the two common refusals, where a field has its own established words.
    too_early: str = ""
    in_future: str = ""

    def problem(self, value: dt.date, *, today: dt.date) -> str | None:
        """Why this date is refused, or None when it is within bounds."""
        if value < self.earliest:
            return (
                self.too_early
                or f"Check the {self.what}: it must be on or after {self.earliest:%-d %B %Y}."
            )
        if self.years_ahead == 0 and value > today:
            return self.in_future or f"Check the {self.what}: it cannot be in the future."
        latest = _years_after(today, self.years_ahead)
        if value > latest:
            return (
                f"Check the {self.what}: it must be no more than {self.years_ahead} years "
                f"ahead (by {latest:%-d %B %Y})."
            )
        return None


#: Most dates: from 1900 to ten years ahead (appointments, deadlines, due dates).
ANY_DATE = DateBounds()
#: A date of birth: from 1900, not in the future.
DATE_OF_BIRTH = DateBounds(
    years_ahead=0,
    what="date of birth",
    too_early="The date of birth must be after 1900.",
    in_future="The date of birth must be in the past.",
)
#: Something that has already happened (a decision, a valuation, a referral sent).
PAST_DATE = DateBounds(years_ahead=0)

#: Field names (or their endings) whose dates cannot be in the future.
_PAST_NAMES = {
    "date_of_birth": DATE_OF_BIRTH,
    "decision_date": PAST_DATE,
    "valuation_date": PAST_DATE,
    "referred_on": PAST_DATE,
    "disclosed_at": PAST_DATE,
}


def bounds_for_name(name: str) -> DateBounds:
    """The bounds a date field gets from its name when it does not choose its own."""
    for ending, bounds in _PAST_NAMES.items():
        if name == ending or name.endswith("_" + ending):
            return bounds
    return ANY_DATE
