"""The Agreement to Mediate gate on session start, through the agreements app's real signing."""

from __future__ import annotations

from typing import Any

import pytest

from accord.agreements import services as agreement_services
from accord.audit.models import AuditEvent
from accord.core.errors import ValidationFailed
from accord.mediation.models import MediationSession, OpeningAccount, SessionOpening
from accord.mediation.tests.helpers import book, due, start

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def document_storage(settings: Any, tmp_path: Any) -> Any:
    """Keep any file the agreements app produces out of the real data folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }
    return tmp_path / "files"


def _sign(service: Any, packet: Any, who: str) -> None:
    user = service.parties[who]
    agreement_services.signature_sign_online(
        user=user,
        packet=packet,
        typed_name=user.full_name,
        confirm=True,
        ip="203.0.113.7",
        user_agent="TestBrowser/1.0",
    )


def _unchanged(session: MediationSession) -> tuple[Any, ...]:
    session.refresh_from_db()
    return (
        session.status,
        session.number,
        SessionOpening.objects.count(),
        OpeningAccount.objects.count(),
        AuditEvent.objects.filter(action="mediation.session_started").count(),
    )


def test_a_session_starts_only_once_every_party_has_signed_for_real(service, real_gate):
    # Booking is allowed before signing: only the start is gated.
    session = due(book(service))
    before = _unchanged(session)
    with pytest.raises(ValidationFailed) as exc:
        start(service, session)
    assert "no Agreement to Mediate" in exc.value.message
    assert _unchanged(session) == before

    agreement = agreement_services.agreement_create(actor=service.mediator, case=service.case)
    _sign(service, agreement.packet, "bob")
    with pytest.raises(ValidationFailed) as exc:
        start(service, session)
    assert "Alice Smith" in exc.value.message and "Bob Jones" not in exc.value.message
    assert _unchanged(session) == before

    _sign(service, agreement.packet, "alice")
    assert start(service, session).number == 1


def test_a_closed_gate_leaves_everything_unchanged(service, monkeypatch):
    def refuse(case: Any) -> None:
        raise ValidationFailed("The Agreement to Mediate has still to be signed by: Bob Jones.")

    monkeypatch.setattr("accord.agreements.gate.ensure_agreement_signed", refuse)
    session = due(book(service))
    before = _unchanged(session)
    with pytest.raises(ValidationFailed):
        start(service, session)
    assert _unchanged(session) == before
