"""Helpers for the agreement tests: the family case's parties, an agreement, a signature."""

from __future__ import annotations

from typing import Any

from accord.agreements import services
from accord.agreements.models import Agreement, Signature
from accord.cases.models import Participant

UA = "Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0"


def party(service: Any, name: str = "Alice Smith") -> Participant:
    """One of the family case's parties."""
    return Participant.objects.get(case=service.case, full_name=name)


def prepare(service: Any, **kwargs: Any) -> Agreement:
    """The family case's Agreement to Mediate, prepared by the lead mediator."""
    return services.agreement_create(actor=service.mediator, case=service.case, **kwargs)


def sign(service: Any, agreement: Agreement, who: str = "alice", **overrides: Any) -> Signature:
    """A party signs the agreement online from a fixed address and browser."""
    user = service.parties[who]
    data: dict[str, Any] = {
        "user": user,
        "packet": agreement.packet,
        "typed_name": user.full_name,
        "confirm": True,
        "ip": "203.0.113.7",
        "user_agent": UA,
    }
    data.update(overrides)
    return services.signature_sign_online(**data)
