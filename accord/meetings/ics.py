"""iCalendar files for appointments (MIAMs, sessions...), made with the `icalendar` package.

Each appointment has a stable UID, so a calendar that imported the booking updates the same entry
when it is moved (SEQUENCE goes up) and removes it when it is cancelled (METHOD:CANCEL,
STATUS:CANCELLED). The file holds only what the booking email holds: when, how and where.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from icalendar import Calendar, Event, vText

PRODID = "-//Accord//Appointments//EN"


@dataclass(frozen=True)
class CalendarEntry:
    """What goes into one appointment's calendar file."""

    uid: str
    sequence: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False


def ics_text(entry: CalendarEntry, *, stamp: dt.datetime | None = None) -> str:
    """The entry as an iCalendar file (text): REQUEST when booked or moved, CANCEL if cancelled."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if entry.cancelled else "REQUEST")
    event = Event()
    event.add("uid", entry.uid)
    event.add("sequence", entry.sequence)
    event.add("dtstamp", (stamp or dt.datetime.now(dt.UTC)).astimezone(dt.UTC))
    event.add("dtstart", entry.starts_at.astimezone(dt.UTC))
    event.add("dtend", entry.ends_at.astimezone(dt.UTC))
    event.add("summary", entry.title)
    if entry.location:
        event["location"] = vText(entry.location)
    if entry.description:
        event.add("description", entry.description)
    if entry.url:
        event.add("url", entry.url)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
