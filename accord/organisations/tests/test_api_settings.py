"""The service settings page's actions through /api/v1/: the kinds of mediation the service
offers and whether its parties may make API tokens. Service admins only (anyone else 404, as
for the page); the real effect and its audit event; bad input a 422 naming the field, nothing
saved."""

from __future__ import annotations

from typing import Any

import pytest

from accord.accounts.policy import may_make_api_tokens
from accord.api.tests.conftest import session_client, token_client
from accord.audit.models import AuditEvent
from accord.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def _not_admins(service: Any) -> list[Any]:
    return [service.coordinator, service.supervisor, service.mediator, service.parties["bob"]]


def _reloaded(service: Any) -> Organisation:
    return Organisation.objects.get(pk=service.organisation.pk)


def test_the_admin_reads_the_settings(service):
    body = token_client(service.admin).get("/service/settings").json()
    assert body["party_api_tokens"] is False
    assert "family_children" in body["kinds_offered"]
    civil = next(k for k in body["kinds"] if k["code"] == "civil")
    assert civil == {"code": "civil", "label": "Civil", "offered": True}


def test_the_admin_chooses_the_kinds_offered(service, other_service):
    response = token_client(service.admin).put(
        "/service/kinds-offered", {"kinds_offered": ["family_all", "family_children"]}
    )
    assert response.status_code == 200, response.content
    assert response.json()["kinds_offered"] == ["family_children", "family_all"]
    assert _reloaded(service).kinds_offered == ["family_children", "family_all"]
    event = AuditEvent.objects.get(action="organisation.kinds_offered_set")
    assert event.details["kinds"] == ["family_children", "family_all"]
    # Another service is untouched.
    assert "civil" in Organisation.objects.get(pk=other_service.organisation.pk).kinds_offered


def test_the_admin_lets_parties_make_tokens_and_stops_them(service):
    bob = service.parties["bob"]
    admin = token_client(service.admin)
    assert not may_make_api_tokens(bob)
    on = admin.put("/service/party-api-tokens", {"party_api_tokens": True})
    assert on.status_code == 200 and on.json()["party_api_tokens"] is True
    assert _reloaded(service).party_api_tokens is True and may_make_api_tokens(bob)
    off = admin.put("/service/party-api-tokens", {"party_api_tokens": False})
    assert off.status_code == 200 and off.json()["party_api_tokens"] is False
    assert not may_make_api_tokens(bob)
    events = AuditEvent.objects.filter(action="organisation.party_api_tokens_set")
    assert [e.details["allowed"] for e in events.order_by("sequence")] == [True, False]


def test_the_settings_are_for_the_services_admins_only(service, other_service):
    before = list(service.organisation.kinds_offered)
    for user in _not_admins(service):
        # A session: a party's token would need the setting this test checks stays off.
        client = session_client(user)
        assert client.get("/service/settings").status_code == 404
        assert client.put("/service/kinds-offered", {"kinds_offered": ["civil"]}).status_code == 404
        tokens = client.put("/service/party-api-tokens", {"party_api_tokens": True})
        assert tokens.status_code == 404
    # Another service's admin changes their own service only.
    theirs = token_client(other_service.admin)
    assert theirs.put("/service/kinds-offered", {"kinds_offered": ["civil"]}).status_code == 200
    assert theirs.put("/service/party-api-tokens", {"party_api_tokens": True}).status_code == 200
    ours = _reloaded(service)
    assert ours.kinds_offered == before and ours.party_api_tokens is False
    assert not AuditEvent.objects.filter(
        organisation=service.organisation,
        action__in=["organisation.kinds_offered_set", "organisation.party_api_tokens_set"],
    ).exists()


def test_bad_settings_are_refused_naming_the_field(service):
    before = list(service.organisation.kinds_offered)
    admin = token_client(service.admin)
    bodies: list[dict[str, Any]] = [
        {"kinds_offered": []},
        {"kinds_offered": ["family_children", "astrology"]},
        {"kinds_offered": "civil"},
        {},
    ]
    for body in bodies:
        response = admin.put("/service/kinds-offered", body)
        assert response.status_code == 422, body
        assert list(response.json()["errors"]) == ["kinds_offered"], body
    tokens_bodies: list[dict[str, Any]] = [
        {"party_api_tokens": "perhaps"},
        {"party_api_tokens": None},
        {},
    ]
    for tokens_body in tokens_bodies:
        response = admin.put("/service/party-api-tokens", tokens_body)
        assert response.status_code == 422, tokens_body
        assert list(response.json()["errors"]) == ["party_api_tokens"], tokens_body
    ours = _reloaded(service)
    assert ours.kinds_offered == before and ours.party_api_tokens is False
    assert not AuditEvent.objects.filter(
        action__in=["organisation.kinds_offered_set", "organisation.party_api_tokens_set"]
    ).exists()
