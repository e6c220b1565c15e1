"""Helpers for the MIAM tests: the family case's parties and a booked MIAM."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from accord.cases.models import Participant
from accord.meetings import services
from accord.meetings.models import Miam


def party(service: Any, name: str = "Alice Smith") -> Participant:
    """One of the family case's parties."""
    return Participant.objects.get(case=service.case, full_name=name)


def soon(days: int = 3) -> dt.datetime:
    """An aware moment a few days ahead."""
    return timezone.now() + dt.timedelta(days=days)


def book(service: Any, name: str = "Alice Smith", **overrides: Any) -> Miam:
    """Book a video MIAM on the family case for one party, with the lead mediator."""
    data: dict[str, Any] = {
        "actor": service.coordinator,
        "case": service.case,
        "attendees": [party(service, name)],
        "mediator": service.mediator,
        "starts_at": soon(),
        "mode": "video",
        "place": "https://video.example/room-1",
    }
    data.update(overrides)
    return services.miam_book(**data)


def hold(miam: Miam) -> None:
    """Move a MIAM's start into the past, as if time had passed since booking."""
    Miam.objects.filter(pk=miam.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))


def held(service: Any, name: str = "Alice Smith", **overrides: Any) -> Miam:
    """A MIAM for one party that has taken place and been recorded as held."""
    miam = book(service, name, **overrides)
    hold(miam)
    return services.miam_record_held(
        actor=service.mediator, miam=miam, covered=["covered_options", "covered_suitability"]
    )


def issue(service: Any, miam: Miam, name: str = "Alice Smith", **overrides: Any) -> Any:
    """Issue a MIAM certificate as the accredited lead mediator, with valid answers."""
    data: dict[str, Any] = {
        "actor": service.mediator,
        "miam": miam,
        "party": party(service, name),
        "outcome": "go_ahead",
        "court_application": "c100",
        "signed_name": service.mediator.full_name,
        "confirm": True,
    }
    data.update(overrides)
    return services.miam_certificate_issue(**data)
