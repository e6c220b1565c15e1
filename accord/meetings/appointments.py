"""Appointments from every app, in one shape, for the diary and for clash warnings.

Each app that books things with a time and a place (MIAMs here, sessions in mediation, and later
pre-mediation and SEND meetings) registers a source: a function that lists its live appointments
in a window. The diary and the booking warnings ask every source, so they know no app by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Appointment:
    """One booked appointment, as the diary and the clash check see it."""

    kind: str
    key: str
    case_id: int
    case_reference: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str = ""
    video_url: str = ""
    staff_ids: frozenset[int] = field(default_factory=frozenset)
    participant_ids: frozenset[int] = field(default_factory=frozenset)
    #: People across cases: the user accounts of the participants, to spot one person in two cases.
    person_user_ids: frozenset[int] = field(default_factory=frozenset)
    url: str = ""
    status: str = "booked"


#: A source lists the live (booked) appointments of one organisation in [start, end).
AppointmentSource = Callable[[int, dt.datetime, dt.datetime], Iterable[Appointment]]

_SOURCES: list[AppointmentSource] = []


def register_appointment_source(source: AppointmentSource) -> AppointmentSource:
    """Register a source of appointments (idempotent); usable as a decorator."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def appointments_between(
    organisation_id: int, start: dt.datetime, end: dt.datetime
) -> list[Appointment]:
    """Every registered source's appointments in [start, end), by start time."""
    found: list[Appointment] = []
    for source in _SOURCES:
        found.extend(source(organisation_id, start, end))
    return sorted(found, key=lambda a: (a.starts_at, a.kind, a.key))


def staff_diaries_lock(staff_ids: Iterable[int]) -> None:
    """Hold these members of staff's diaries until the transaction ends, so that bookings and
    moves for the same person queue and each clash check sees the booking saved before it.

    Every booking and moving service takes it (through `confirm_booking_warnings`) inside its
    transaction, after locking the case and before the clash check. Without it, on PostgreSQL
    (READ COMMITTED) two bookings submitted at once for one mediator at one time could both
    find the diary free and both be saved; with it the second waits for the first to commit,
    and its check (a new statement, so a new snapshot) then finds the clash. The lock is the
    staff's user rows, in id order so that two bookings sharing mediators cannot deadlock, and
    FOR NO KEY UPDATE: it queues bookings but not the rows that merely point at the person (an
    audit event naming them as actor, a message they post), which FOR UPDATE would hold up.
    SQLite needs no lock: Accord begins every SQLite transaction IMMEDIATE (settings), so
    writers already run one at a time, and `select_for_update` does nothing there.
    """
    from django.contrib.auth import get_user_model

    ids = sorted(set(staff_ids))
    if ids:
        list(
            get_user_model()
            .objects.select_for_update(no_key=True)
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def booking_warnings(
    *,
    organisation: Any,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    staff_ids: Iterable[int],
    participant_ids: Iterable[int] = (),
    person_user_ids: Iterable[int] = (),
    ignore_key: str = "",
) -> tuple[list[str], bool]:
    """What a booker should know before saving, and whether any of it is a clash.

    Clashes: the same member of staff or the same person (by participant, or by portal account
    across cases) already booked at an overlapping time. Then weekends, bank holidays and the
    service's closures, from its working calendar.
    """
    from accord.calendar import london_date
    from accord.deadlines.selectors import calendar_for

    warnings: list[str] = []
    staff = set(staff_ids)
    people = set(participant_ids)
    users = set(person_user_ids)
    clash = False
    for other in appointments_between(organisation.pk, starts_at - dt.timedelta(hours=12), ends_at):
        if other.key == ignore_key or other.ends_at <= starts_at or other.starts_at >= ends_at:
            continue
        if staff & other.staff_ids:
            clash = True
            warnings.append(
                f"Clash: the mediator is already booked for {other.title} on case "
                f"{other.case_reference} at {_clock(other.starts_at)}."
            )
        elif people & other.participant_ids or users & other.person_user_ids:
            clash = True
            warnings.append(
                f"Clash: someone attending is already booked for {other.title} on case "
                f"{other.case_reference} at {_clock(other.starts_at)}."
            )
    day = london_date(starts_at)
    calendar = calendar_for(organisation)
    if day.weekday() >= 5:
        warnings.append(f"{day:%A} {day.day} {day:%B %Y} is a weekend day.")
    holiday = calendar.bank_holiday_name(day)
    if holiday:
        warnings.append(f"{day.day} {day:%B %Y} is a bank holiday: {holiday}.")
    closure = calendar.closure_name(day)
    if closure:
        warnings.append(f"The service is closed on {day.day} {day:%B %Y}: {closure}.")
    return warnings, clash


def _clock(moment: dt.datetime) -> str:
    from accord.calendar import to_london

    local = to_london(moment)
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"
