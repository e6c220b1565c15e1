"""The suitability decision: who may record it, what it needs, and who sees the reasons."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.audit.models import AuditEvent
from accord.cases import services as case_services
from accord.cases.workspace import section_url
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.meetings import services
from accord.meetings.models import SuitabilityDecision

pytestmark = pytest.mark.django_db

REASONS = "Zanzibar-reasons quoting the screening"


def _decide(service: Any, actor: Any = None, **overrides: Any) -> SuitabilityDecision:
    data: dict[str, Any] = {"route": "shuttle", "reasons": REASONS, "signposting": ""}
    data.update(overrides)
    return services.suitability_decide(actor=actor or service.mediator, case=service.case, **data)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_case_mediator_records_the_decision_and_it_is_audited_without_reasons(service):
    decision = _decide(service)
    assert decision.route == "shuttle" and decision.decided_by == service.mediator
    event = AuditEvent.objects.get(action="suitability.decided")
    assert event.details["route"] == "shuttle"
    assert REASONS not in str(event.details) and REASONS not in event.target_label


def test_a_provisional_co_mediator_may_decide_too(service):
    case_services.case_assign_team(
        actor=service.coordinator,
        case=service.case,
        lead_mediator=service.mediator,
        co_mediator=service.mediator2,
        supervisor=service.supervisor,
    )
    assert _decide(service, actor=service.mediator2).decided_by == service.mediator2


def test_revising_keeps_one_decision_per_case(service):
    _decide(service)
    _decide(service, route="joint", reasons="Both parties feel safe.")
    assert SuitabilityDecision.objects.get().route == "joint"
    assert AuditEvent.objects.filter(action="suitability.revised").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reasons": "  "}, "reasons"),
        ({"route": "maybe"}, "route"),
        ({"route": "not_suitable", "signposting": ""}, "signposting"),
    ],
)
def test_incomplete_decisions_are_refused(service, overrides, field):
    with pytest.raises(ValidationFailed) as exc:
        _decide(service, **overrides)
    assert field in exc.value.field_errors
    assert not SuitabilityDecision.objects.exists()


def test_not_suitable_keeps_the_signposting(service):
    decision = _decide(service, route="not_suitable", signposting="Women's Aid; the court")
    assert decision.signposting == "Women's Aid; the court"


@pytest.mark.parametrize("who", ["coordinator", "supervisor", "safeguarding_lead", "admin"])
def test_only_a_case_mediator_may_decide(service, who):
    with pytest.raises(NotPermitted):
        _decide(service, actor=getattr(service, who))
    assert not SuitabilityDecision.objects.exists()


def test_a_party_or_another_service_gets_not_found(service, other_service):
    for user in (service.parties["bob"], other_service.mediator):
        with pytest.raises(NotFoundOrHidden):
            _decide(service, actor=user)
        assert (
            _client(user).get(reverse("meetings:suitability", args=[service.case.pk])).status_code
            == 404
        )


def test_the_workspace_shows_route_to_the_team_and_reasons_only_to_the_restricted(service):
    _decide(service)
    url = section_url(service.case.pk, "preparation")
    for user in (service.coordinator, service.admin):
        body = _client(user).get(url).content.decode()
        assert "Suitability: <strong>Shuttle mediation</strong>" in body
        assert REASONS not in body
    for user in (service.mediator, service.supervisor, service.safeguarding_lead):
        body = _client(user).get(url).content.decode()
        assert REASONS in body


def test_the_decision_page_records_and_reports_errors(service):
    client = _client(service.mediator)
    url = reverse("meetings:suitability", args=[service.case.pk])
    response = client.post(url, {"route": "not_suitable", "reasons": REASONS})
    assert response.status_code == 422
    assert "say where the parties were signposted" in response.content.decode()
    assert client.post(url, {"route": "joint", "reasons": REASONS}).status_code == 302
    assert SuitabilityDecision.objects.get().route == "joint"
    assert _client(service.coordinator).get(url).status_code == 403


def test_a_party_is_screened_again_through_the_page_and_the_mediators_are_alerted(service):
    from django.test import Client
    from django.urls import reverse

    from accord.meetings.models import ScreeningAlert
    from accord.testing.factories import ready_for_sessions

    ready_for_sessions(service.case)
    alice = service.case.participants.get(full_name="Alice Smith")
    client = Client()
    client.force_login(service.mediator)
    workspace = client.get(
        reverse("cases:detail", args=[service.case.pk]) + "?section=preparation"
    ).content.decode()
    url = reverse("meetings:screening_repeat", args=[service.case.pk, alice.pk])
    assert url in workspace
    answers = {
        name: "no"
        for name in (
            "physical_abuse",
            "emotional_abuse",
            "coercive_control",
            "financial_abuse",
            "fear_of_other_party",
            "risk_to_children",
            "childrens_services",
            "police_or_court",
        )
    }
    answers["physical_abuse"] = "yes"
    assert client.post(url, answers).status_code == 302
    assert ScreeningAlert.objects.filter(case=service.case, resolved_at__isnull=True).exists()
    workspace = client.get(
        reverse("cases:detail", args=[service.case.pk]) + "?section=preparation"
    ).content.decode()
    assert 'id="screening-alert"' in workspace
    summary = client.get(reverse("cases:detail", args=[service.case.pk])).content.decode()
    assert "A newer screening suggests a more protective route" in summary
    for user in (service.coordinator,):  # not the restricted audience: no word of it
        other = Client()
        other.force_login(user)
        response = other.get(reverse("cases:detail", args=[service.case.pk]))
        assert response.status_code == 200
        assert "newer screening" not in response.content.decode()
    coordinator = Client()
    coordinator.force_login(service.coordinator)
    assert coordinator.get(url).status_code == 404
    bob = Client()
    bob.force_login(service.parties["bob"])
    assert bob.get(url).status_code in (302, 403, 404)
