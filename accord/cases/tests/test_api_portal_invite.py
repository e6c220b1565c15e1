"""Inviting a participant to the portal through the API: the page's service and policy, the
email queued naming the service only; outsiders get 404, those who may open the workspace but
not manage its people 403, and a refusal is a 422 naming the field, with nothing changed."""

from __future__ import annotations

from typing import Any

import pytest

from accord.accounts.models import Invitation
from accord.api.tests.conftest import snapshot, token_client
from accord.audit.models import AuditEvent
from accord.cases import services
from accord.cases.models import Participant
from accord.deadlines.models import OutboundEmail

pytestmark = pytest.mark.django_db


def _newcomer(service: Any, **extra: Any) -> Participant:
    details = {"email": "dee@example.org", "safe_contact_methods": ["email"], **extra}
    return services.participant_add(
        actor=service.coordinator, case=service.case, role="party", full_name="Dee New", **details
    )


def _path(service: Any, participant: Participant) -> str:
    return f"/cases/{service.case.pk}/participants/{participant.pk}/portal-invitation"


def test_the_coordinator_invites_a_participant_and_the_email_is_queued(service: Any) -> None:
    dee = _newcomer(service)
    answer = token_client(service.coordinator).post(_path(service, dee))
    assert answer.status_code == 200, answer.json()
    assert answer.json()["id"] == dee.pk and answer.json()["has_portal_access"] is True
    dee.refresh_from_db()
    assert dee.portal_access and dee.user is not None and dee.user.email == "dee@example.org"
    assert Invitation.objects.filter(user=dee.user).count() == 1
    email = OutboundEmail.objects.get(to_email="dee@example.org")
    assert service.organisation.name in email.subject
    assert service.case.reference not in email.subject + email.body


@pytest.mark.parametrize(
    ("who", "status"),
    [("party", 404), ("other_service", 404), ("mediator_off_case", 404), ("safeguarding", 403)],
)
def test_others_are_refused_and_nothing_changes(
    service: Any, other_service: Any, who: str, status: int
) -> None:
    dee = _newcomer(service)
    user = {
        "party": service.parties["alice"],
        "other_service": other_service.coordinator,
        "mediator_off_case": service.mediator2,
        "safeguarding": service.safeguarding_lead,
    }[who]
    client = token_client(user)
    before = snapshot()
    assert client.post(_path(service, dee)).status_code == status
    assert snapshot() == before
    assert not OutboundEmail.objects.filter(to_email="dee@example.org").exists()


def test_a_participant_of_another_case_is_404(service: Any) -> None:
    bob_civil = Participant.objects.filter(case=service.cases["civil"]).first()
    assert bob_civil is not None
    path = f"/cases/{service.case.pk}/participants/{bob_civil.pk}/portal-invitation"
    assert token_client(service.coordinator).post(path).status_code == 404


@pytest.mark.parametrize(
    ("extra", "field"),
    [({"email": ""}, "email"), ({"safe_contact_methods": ["phone"]}, "safe_contact_methods")],
)
def test_a_refusal_names_the_field_and_changes_nothing(
    service: Any, extra: dict[str, Any], field: str
) -> None:
    dee = _newcomer(service, **extra)
    client = token_client(service.coordinator)
    events = AuditEvent.objects.count()
    answer = client.post(_path(service, dee))
    assert answer.status_code == 422
    assert field in answer.json()["errors"]
    dee.refresh_from_db()
    assert not dee.portal_access and dee.user is None
    assert AuditEvent.objects.count() == events
    assert not OutboundEmail.objects.exists()
