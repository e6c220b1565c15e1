"""The suitability gate's override through the API (issue 15, item 9): an accredited mediator
of the case records it with a reason, through the same service as the mediation page, and it
lifts the gate; other staff of the case get 403, parties and other services 404; a missing or
overlong reason, or no decision to override, is a 422 with nothing saved."""

from __future__ import annotations

from typing import Any

import pytest

from accord.api.tests.conftest import token_client
from accord.audit.models import AuditEvent
from accord.cases.models import Case
from accord.mediation.models import MediationSession, SuitabilityOverride
from accord.mediation.tests.test_views import _api_payload
from accord.testing.factories import ready_for_sessions

pytestmark = [pytest.mark.django_db, pytest.mark.no_suitability]

REASON = "Both asked to meet together; co-mediated with separate waiting rooms."


def _path(service: Any) -> str:
    return f"/cases/{service.case.pk}/mediation/override"


def test_the_accredited_mediator_overrides_and_a_joint_session_can_be_booked(service: Any):
    ready_for_sessions(service.case, route="shuttle")
    api = token_client(service.mediator)
    refused = api.post(f"/cases/{service.case.pk}/sessions", _api_payload(service, format="joint"))
    assert refused.status_code == 422
    answer = api.post(_path(service), {"reason": REASON})
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["decision_route"] == "shuttle" and body["reason"] == REASON
    assert body["session_refusals"]["joint"] == ""
    override = SuitabilityOverride.objects.get()
    assert override.made_by == service.mediator and override.reason == REASON
    event = AuditEvent.objects.get(action="suitability.overridden")
    assert event.visibility == "restricted" and REASON not in str(event.details)
    booked = api.post(f"/cases/{service.case.pk}/sessions", _api_payload(service, format="joint"))
    assert booked.status_code == 201, booked.json()


def test_only_an_accredited_mediator_of_the_case_may_override(service: Any, other_service: Any):
    ready_for_sessions(service.case, route="not_suitable")
    for name, user in {
        "alice": service.parties["alice"],
        "bob": service.parties["bob"],
        "other service": other_service.mediator,
        "trainee off the case": service.mediator2,
    }.items():
        assert token_client(user).post(_path(service), {"reason": REASON}).status_code == 404, name
    for name, user in {
        "coordinator": service.coordinator,
        "safeguarding lead": service.safeguarding_lead,
    }.items():
        assert token_client(user).post(_path(service), {"reason": REASON}).status_code == 403, name
    # A trainee on the case team may not override either (FMC: accredited mediators only).
    Case.objects.filter(pk=service.case.pk).update(co_mediator=service.mediator2)
    trainee = token_client(service.mediator2).post(_path(service), {"reason": REASON})
    assert trainee.status_code == 403
    assert not SuitabilityOverride.objects.exists()
    assert not AuditEvent.objects.filter(action="suitability.overridden").exists()
    assert not MediationSession.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [({"reason": "   "}, "reason"), ({"reason": "x" * 2001}, "reason"), ({}, "reason")],
)
def test_a_bad_reason_is_refused_naming_it(service: Any, body: dict[str, Any], field: str):
    ready_for_sessions(service.case, route="shuttle")
    answer = token_client(service.mediator).post(_path(service), body)
    assert answer.status_code == 422, answer.json()
    assert field in answer.json()["errors"]
    assert not SuitabilityOverride.objects.exists()


def test_there_must_be_a_decision_to_override(service: Any):
    answer = token_client(service.mediator).post(_path(service), {"reason": REASON})
    assert answer.status_code == 422
    assert "record the decision first" in answer.json()["detail"] + str(answer.json()["errors"])
    assert not SuitabilityOverride.objects.exists()
