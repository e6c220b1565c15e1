"""Helpers for the mediation tests: the family case's parties, booked and started sessions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from accord.cases.models import Case, Participant
from accord.mediation import services
from accord.mediation.models import FULL_RULES, MediationSession

ALL_RULES = [name for name, _ in FULL_RULES]


def party(service: Any, name: str = "Alice Smith") -> Participant:
    """One of the family case's parties."""
    return Participant.objects.get(case=service.case, full_name=name)


def soon(days: int = 3) -> dt.datetime:
    """An aware moment a few days ahead."""
    return timezone.now() + dt.timedelta(days=days)


def at_mediation_stage(case: Case) -> Case:
    """Put the case at its sessions stage, as if intake, MIAMs and signing were done."""
    Case.objects.filter(pk=case.pk).update(stage="mediation")
    case.refresh_from_db()
    return case


def book(service: Any, **overrides: Any) -> MediationSession:
    """Book a joint video session for Alice and Bob with the lead mediator."""
    data: dict[str, Any] = {
        "actor": service.coordinator,
        "case": service.case,
        "format": "joint",
        "starts_at": soon(),
        "mode": "video",
        "place": "https://video.example/room-7",
        "attendees": [party(service), party(service, "Bob Jones")],
        "mediators": [service.mediator],
    }
    data.update(overrides)
    return services.session_book(**data)


def due(session: MediationSession) -> MediationSession:
    """Move a session's start into the past, as if its time had come."""
    MediationSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(minutes=5)
    )
    session.refresh_from_db()
    return session


def start(service: Any, session: MediationSession, **overrides: Any) -> MediationSession:
    """Start a due session as the lead mediator; the first gets full rules and accounts."""
    if session.starts_at > timezone.now():
        session = due(session)
    first = not session.case.mediation_sessions.filter(number__isnull=False).exists()
    data: dict[str, Any] = {
        "actor": service.mediator,
        "session": session,
        "ground_rules_restated": True,
        "questions_invited": True,
    }
    if first:
        data["full_rules"] = ALL_RULES
        data["opening_accounts"] = {
            p.pk: f"Opening account of {p.full_name}: I want the children settled."
            for p in session.attendees.all()
            if p.is_party
        }
    data.update(overrides)
    return services.session_start(**data)


def hold(service: Any, session: MediationSession) -> MediationSession:
    """Start a session, record everyone attended and end it."""
    session = start(service, session)
    services.session_record_attendance(
        actor=service.mediator,
        session=session,
        attendance={p.pk: "attended" for p in session.attendees.all()},
    )
    return services.session_end(actor=service.mediator, session=session)
