"""Complaint targets from the deadline engine's dated rules (acknowledge, respond, FMSB window).

The periods are rows of `deadlines.DeadlineRule` (national defaults seeded by this app's
migration; a service adds its own row to change its targets), counted on the service's working
calendar. Complaints are not case deadlines: a case deadline would show the complaint to the
case team, including the mediator complained about.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from accord.calendar import london_date, london_wall_time

if TYPE_CHECKING:
    from accord.complaints.models import Complaint
    from accord.organisations.models import Organisation

ACKNOWLEDGE = "complaint.acknowledge"
RESPOND = "complaint.respond"
FMSB_WINDOW = "complaint.fmsb_window"
#: Used only if a rule row is missing (a database without the seed); the seed says the same.
FALLBACK = {
    ACKNOWLEDGE: (10, "working_days"),
    RESPOND: (30, "working_days"),
    FMSB_WINDOW: (3, "months"),
    "records.subject_access": (1, "months"),
}


def due_from(*, organisation: Organisation, code: str, start: dt.date) -> dt.datetime:
    """The moment a rule's period counted from `start` falls due for this service."""
    from accord.deadlines import conf
    from accord.deadlines.due import compute_due
    from accord.deadlines.selectors import calendar_for, rule_in_force

    rule = rule_in_force(organisation=organisation, code=code, on=start)
    period, unit = (rule.period, rule.unit) if rule is not None else FALLBACK[code]
    return compute_due(
        unit=unit,
        period=period,
        at_time=rule.at_time if rule is not None else None,
        start=london_wall_time(start, dt.time(9, 0)),
        calendar=calendar_for(organisation),
        default_time=conf.default_due_time(),
    )


def fmsb_window_end(complaint: Complaint) -> dt.date | None:
    """The last day to take the complaint to the FMSB: 3 months after the response."""
    if complaint.responded_on is None:
        return None
    due = due_from(
        organisation=complaint.organisation, code=FMSB_WINDOW, start=complaint.responded_on
    )
    return london_date(due)
