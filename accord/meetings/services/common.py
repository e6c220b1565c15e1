"""Pieces the MIAM services share."""

from __future__ import annotations

import datetime as dt
from typing import Any

from accord.cases.models import Case


def locked_case(actor: Any, case: Case, action: str) -> Case:
    """The case, row-locked; 404 if the actor cannot see it, 403 if they may not act on it."""
    from accord.cases.services import case_locked_for

    return case_locked_for(
        actor=actor,
        case=case,
        action=action,
        refusal="You do not have permission to arrange MIAMs on this case.",
    )


def appointment_reschedule(
    appointment: Any, *, starts_at: dt.datetime, duration_minutes: int, mode: str, place: str
) -> dt.datetime:
    """Give a booked MIAM or session its new time, length, mode and place; returns the old start.

    SEQUENCE goes up so that calendars update the same entry and stale emails are dropped. The
    caller has checked the input and the warnings, and records its own audit event.
    """
    before = appointment.starts_at
    appointment.starts_at = starts_at
    appointment.duration_minutes = duration_minutes
    appointment.mode = mode
    appointment.place = place
    appointment.sequence += 1
    appointment.save(
        update_fields=["starts_at", "duration_minutes", "mode", "place", "sequence", "updated_at"]
    )
    return before
