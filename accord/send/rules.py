"""SEND mediation's own arithmetic: who holds the rights, the appeal deadline, the run sheet.

Pure Python (no Django), so each rule of DOMAIN.md section 2.2 can be tested on its own. The
periods themselves (2 months, 1 month, 3 working days...) are dated rules in the deadline engine;
this module only combines dates it is given.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PARENT, YOUNG_PERSON = "parent", "young_person"

#: The order in which people speak at a SEND mediation meeting (DOMAIN.md section 2.2 step 5).
SPEAKING_ORDER: tuple[tuple[str, str], ...] = (
    ("introduction", "Introduction and the Terms of Engagement"),
    ("family", "The parent or young person sets out their case"),
    ("school", "The school or college"),
    ("others", "Other agreed participants"),
    ("la", "The local authority officer (last: may explain or change the decision)"),
    ("discussion", "Open discussion"),
    ("actions", "Actions agreed are read back and checked"),
)

#: Which slot of the run sheet each way of attending speaks in.
SLOT_OF = {
    "parent": "family",
    "young_person": "family",
    "school": "school",
    "health": "others",
    "social_care": "others",
    "advocate": "family",
    "other": "others",
    "la": "la",
}


def last_friday_of_june(year: int) -> dt.date:
    """The last Friday of June in a year."""
    last = dt.date(year, 6, _calendar.monthrange(year, 6)[1])
    return last - dt.timedelta(days=(last.weekday() - _calendar.FRIDAY) % 7)


def end_of_compulsory_school_age(date_of_birth: dt.date) -> dt.date:
    """The last Friday of June of the school year (1 September to 31 August) in which the child
    turns 16 (Education Act 1996 s.8)."""
    year = date_of_birth.year + 16
    # A birthday from 1 September falls in the school year that ends the next summer.
    if date_of_birth.month >= 9:
        year += 1
    return last_friday_of_june(year)


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Age in whole years on a day (a 29 February birthday counts from 1 March)."""
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def rights_holder(*, date_of_birth: dt.date, on: dt.date, lacks_capacity: bool) -> str:
    """Who holds the right to mediation and appeal on a day: the young person once past the end of
    compulsory school age, unless they lack capacity (then a parent acts for them)."""
    if on > end_of_compulsory_school_age(date_of_birth) and not lacks_capacity:
        return YOUNG_PERSON
    return PARENT


def appeal_deadline(*, from_decision: dt.date, from_certificate: dt.date) -> dt.date:
    """The later of the two appeal limits (2 months from the decision, 1 month from the
    certificate), each already counted by its dated rule."""
    return max(from_decision, from_certificate)


@dataclass(frozen=True)
class RunSheetSlot:
    """One step of the meeting, with who speaks in it."""

    code: str
    label: str
    speakers: tuple[str, ...]


def run_sheet(attendees: Iterable[tuple[str, str]]) -> list[RunSheetSlot]:
    """The meeting's speaking order from (name, attends_as) pairs; empty speaker slots stay, so
    the mediator still sees the step."""
    people = list(attendees)
    sheet: list[RunSheetSlot] = []
    for code, label in SPEAKING_ORDER:
        speakers = tuple(name for name, role in people if SLOT_OF.get(role) == code)
        sheet.append(RunSheetSlot(code, label, speakers))
    return sheet


def median_days(values: Sequence[int]) -> float | None:
    """The median of whole-day figures, or None with none."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2
