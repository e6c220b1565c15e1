"""Bookings for one mediator at one time, made at once on two cases: one is saved and the other
is refused with the clash (PostgreSQL; SQLite runs one writer at a time).

Today `case_locked_for` also happens to lock the service's row (FOR UPDATE covers its
select_related join), and that alone queues every case write of a service, so the first test
passes with or without the diary lock; it guards the outcome whichever lock gives it (it fails
when the case lock is narrowed to the case row and the diary lock removed). The second holds
only the mediator's diary lock in another transaction and shows that a booking reads the diary
only once that lock is free: the booking services take it before their clash check, whatever
else they lock. (That transaction cannot also save a MIAM: the row would point at the service,
whose row the waiting booking has locked, and PostgreSQL would end one of them as a deadlock.)
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, transaction

from accord.cases import services as case_services
from accord.cases.models import Participant
from accord.core.errors import ValidationFailed
from accord.meetings import appointments, services
from accord.meetings.appointments import staff_diaries_lock
from accord.meetings.models import Miam
from accord.testing.journey import future

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite begins every transaction IMMEDIATE, so bookings never overlap there; "
        "the diary lock only matters on PostgreSQL (set DATABASE_URL=postgres://...)",
    ),
    # Committed data, so that the two threads' transactions really run side by side.
    pytest.mark.django_db(transaction=True),
]

#: How long each clash check dawdles after reading the diary, as a slow request would: long
#: enough that without the lock both checks read the diary before either booking is saved.
DAWDLE_SECONDS = 0.5


def _second_case_party(service: Any) -> Participant:
    """A party on another family case led by the same mediator (so the case lock is no help)."""
    case = case_services.case_open(
        actor=service.coordinator,
        organisation=service.organisation,
        kind="family_children",
        title="Khan / Wright",
        lead_mediator=service.mediator,
    )
    return case_services.participant_add(
        actor=service.coordinator,
        case=case,
        role="party",
        full_name="Dan Khan",
        email="dan@riverside.example",
    )


def test_two_bookings_for_one_mediator_at_once_save_one_and_refuse_the_other(service, monkeypatch):
    alice = Participant.objects.get(case=service.case, full_name="Alice Smith")
    dan = _second_case_party(service)
    when = future(5)
    checked = appointments.booking_warnings

    def slow_check(**kwargs: Any) -> Any:
        found = checked(**kwargs)
        time.sleep(DAWDLE_SECONDS)
        return found

    monkeypatch.setattr(appointments, "booking_warnings", slow_check)
    start = threading.Barrier(2)
    booked: list[int] = []
    refused: list[dict[str, list[str]]] = []
    crashed: list[Exception] = []

    def book(party: Participant) -> None:
        try:
            start.wait(timeout=10)
            miam = services.miam_book(
                actor=service.coordinator,
                case=party.case,
                attendees=[party],
                mediator=service.mediator,
                starts_at=when,
                mode="video",
                place="https://video.example/room-1",
                confirm_warnings=False,
            )
            booked.append(miam.pk)
        except ValidationFailed as refusal:
            refused.append(refusal.field_errors)
        except Exception as error:  # reported by the assertion below
            crashed.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(party,)) for party in (alice, dan)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not crashed, crashed
    assert len(booked) == 1, f"booked {booked}, refused {refused}"
    assert len(refused) == 1
    assert any(
        w.startswith("Clash: the mediator is already booked")
        for w in refused[0]["confirm_warnings"]
    ), refused
    assert list(
        Miam.objects.filter(mediator=service.mediator, starts_at=when).values_list("pk", flat=True)
    ) == (booked)


def test_a_booking_checks_the_diary_only_once_the_mediators_lock_is_free(service, monkeypatch):
    dan = _second_case_party(service)
    checked = appointments.booking_warnings
    moments: dict[str, float] = {}

    def timed_check(**kwargs: Any) -> Any:
        moments["checked"] = time.monotonic()
        return checked(**kwargs)

    monkeypatch.setattr(appointments, "booking_warnings", timed_check)
    held, release = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def hold_the_diary() -> None:
        """Another transaction holding the mediator's diary (and nothing else)."""
        try:
            with transaction.atomic():
                staff_diaries_lock([service.mediator.pk])
                held.set()
                release.wait(timeout=30)
                moments["released"] = time.monotonic()
        finally:
            connection.close()

    def book_dan() -> None:
        try:
            outcome["miam"] = services.miam_book(
                actor=service.coordinator,
                case=dan.case,
                attendees=[dan],
                mediator=service.mediator,
                starts_at=future(5),
                mode="video",
                place="https://video.example/room-2",
                confirm_warnings=False,
            )
        except Exception as error:  # reported by the assertions below
            outcome["error"] = error
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_diary)
    holder.start()
    assert held.wait(timeout=10)
    booker = threading.Thread(target=book_dan)
    booker.start()
    booker.join(timeout=1.5)
    waited = booker.is_alive()
    release.set()
    holder.join(timeout=30)
    booker.join(timeout=30)
    assert "miam" in outcome, outcome
    assert waited, "the booking did not wait for the mediator's diary"
    # The check read the diary only after the other transaction had let it go, so it would
    # have seen anything that transaction booked.
    assert moments["checked"] >= moments["released"], moments
