"""Parties make personal API tokens only when their service turns that on (off by default)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from accord.accounts import services
from accord.accounts.models import ApiToken
from accord.audit.models import AuditEvent
from accord.core.errors import NotPermitted
from accord.organisations.services import organisation_set_party_api_tokens

SETTINGS = reverse("accounts:settings")
CREATE = reverse("accounts:token_create")


def test_a_party_is_not_offered_api_tokens_by_default(client, service):
    assert service.organisation.party_api_tokens is False
    client.force_login(service.parties["bob"])
    html = client.get(SETTINGS).content.decode()
    assert "Personal API tokens" not in html
    assert CREATE not in html


def test_a_party_cannot_make_a_token_through_the_page_the_api_or_the_service(client, service):
    bob = service.parties["bob"]
    client.force_login(bob)

    page = client.post(CREATE, {"name": "Spreadsheet", "expires_on": ""})
    api = client.post(
        "/api/v1/tokens", json.dumps({"name": "Script"}), content_type="application/json"
    )
    with pytest.raises(NotPermitted, match="has not turned on personal API tokens"):
        services.api_token_create(user=bob, name="Direct")

    assert page.status_code == 404
    assert api.status_code == 403
    assert "has not turned on personal API tokens" in api.json()["detail"]
    assert not ApiToken.objects.filter(user=bob).exists()


def test_staff_still_see_and_make_tokens_when_parties_may_not(client, service):
    client.force_login(service.mediator)
    assert "Personal API tokens" in client.get(SETTINGS).content.decode()
    token, _ = services.api_token_create(user=service.mediator, name="Reports")
    assert token.pk is not None


def test_when_the_service_turns_tokens_on_its_parties_see_and_make_them(client, service):
    client.force_login(service.admin)
    response = client.post(reverse("organisations:party_api_tokens"), {"party_api_tokens": "on"})
    assert response.status_code == 302
    service.organisation.refresh_from_db()
    assert service.organisation.party_api_tokens is True
    assert AuditEvent.objects.filter(action="organisation.party_api_tokens_set").count() == 1

    client.force_login(service.parties["bob"])
    assert "Personal API tokens" in client.get(SETTINGS).content.decode()
    created = client.post(CREATE, {"name": "Spreadsheet", "expires_on": ""})
    assert created.status_code == 200
    assert ApiToken.objects.filter(user=service.parties["bob"], name="Spreadsheet").exists()


def test_only_the_service_admin_may_change_the_party_token_setting(client, service):
    with pytest.raises(NotPermitted):
        organisation_set_party_api_tokens(
            actor=service.coordinator, organisation=service.organisation, allowed=True
        )
    client.force_login(service.coordinator)
    response = client.post(reverse("organisations:party_api_tokens"), {"party_api_tokens": "on"})
    assert response.status_code == 404
    service.organisation.refresh_from_db()
    assert service.organisation.party_api_tokens is False


def test_the_service_settings_page_shows_the_party_token_setting(client, service):
    client.force_login(service.admin)
    html = client.get(reverse("organisations:settings")).content.decode()
    assert "Personal API tokens for parties" in html
    assert 'name="party_api_tokens"' in html
    assert "checked" not in html.split('id="party-api-tokens"')[1].split("</section>")[0]
