"""The agreement endpoints: status for staff and parties, and signing with IP and user agent."""

from __future__ import annotations

import pytest
from django.test import Client

from accord.agreements.models import Signature
from accord.agreements.tests.helpers import party, prepare, sign
from accord.api.tests.conftest import ApiClient, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _party_client(user, agent: str = "PartyPhone/2.0") -> ApiClient:
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR="192.0.2.44")
    client.force_login(user)
    return ApiClient(client)


def test_without_an_agreement_the_status_lists_every_party_as_still_to_sign(service):
    body = token_client(service.coordinator).get(f"/cases/{service.case.pk}/agreement").json()
    assert body["exists"] is False
    assert body["still_to_sign"] == ["Alice Smith", "Bob Jones"]
    assert body["signers"] == []
    party_view = _party_client(service.parties["bob"]).get(f"/cases/{service.case.pk}/agreement")
    assert party_view.json()["exists"] is False and party_view.json()["still_to_sign"] is None


def test_a_party_sees_only_their_own_line_and_whether_everyone_has_signed(service):
    agreement = prepare(service)
    sign(service, agreement, "bob")
    body = _party_client(service.parties["alice"]).get(f"/cases/{service.case.pk}/agreement")
    data = body.json()
    assert data["everyone_signed"] is False and data["still_to_sign"] is None
    assert data["signers"] == [
        {
            "participant_id": party(service).pk,
            "name": "Alice Smith",
            "signed": False,
            "signed_at": None,
            "method": None,
            "typed_name": None,
            "ip_address": None,
            "user_agent": None,
            "text_sha256": None,
        }
    ]


def test_staff_see_every_signatures_ip_and_user_agent(service):
    agreement = prepare(service)
    sign(service, agreement, "bob", ip="198.51.100.23", user_agent="BobsBrowser/9")
    body = token_client(service.supervisor).get(f"/cases/{service.case.pk}/agreement").json()
    assert body["exists"] and body["status"] == "open"
    assert body["sha256"] == agreement.packet.sha256
    assert body["still_to_sign"] == ["Alice Smith"]
    bob = next(s for s in body["signers"] if s["name"] == "Bob Jones")
    assert bob["ip_address"] == "198.51.100.23" and bob["user_agent"] == "BobsBrowser/9"
    assert bob["text_sha256"] == agreement.packet.sha256


def test_a_party_signs_through_the_api_and_sees_only_their_own_technical_details(service):
    agreement = prepare(service)
    sign(service, agreement, "bob", ip="198.51.100.23", user_agent="BobsBrowser/9")
    api = _party_client(service.parties["alice"])
    url = f"/cases/{service.case.pk}/agreement/sign"
    refused = api.post(url, {"typed_name": "Alice Smyth", "confirm": True})
    assert refused.status_code == 422
    assert "typed_name" in refused.json()["errors"]
    refused = api.post(url, {"typed_name": "Alice Smith", "confirm": False})
    assert refused.status_code == 422
    assert Signature.objects.count() == 1
    response = api.post(url, {"typed_name": "Alice Smith", "confirm": True})
    assert response.status_code == 200
    body = response.json()
    assert body["everyone_signed"] is True and body["status"] == "complete"
    mine = Signature.objects.get(participant__full_name="Alice Smith")
    assert mine.ip_address == "192.0.2.44" and mine.user_agent == "PartyPhone/2.0"
    assert [s["name"] for s in body["signers"]] == ["Alice Smith"]
    assert body["signers"][0]["ip_address"] == "192.0.2.44"
    assert body["still_to_sign"] is None
    assert "198.51.100.23" not in response.content.decode()
    assert "BobsBrowser" not in response.content.decode()
    again = api.post(url, {"typed_name": "Alice Smith", "confirm": True})
    assert again.status_code == 422
    assert Signature.objects.count() == 2


def test_other_cases_and_other_services_get_404(service, other_service):
    agreement = prepare(service)
    url = f"/cases/{service.case.pk}/agreement"
    for user in (service.parties["carol"], other_service.parties["alice"], other_service.admin):
        api = _party_client(user)
        assert api.get(url).status_code == 404
        assert (
            api.post(url + "/sign", {"typed_name": "Alice Smith", "confirm": True}).status_code
            == 404
        )
    assert not Signature.objects.exists()
    assert agreement.packet.signatures.count() == 0


def test_staff_cannot_sign_for_a_party(service):
    prepare(service)
    api = token_client(service.mediator)
    response = api.post(
        f"/cases/{service.case.pk}/agreement/sign", {"typed_name": "Alice Smith", "confirm": True}
    )
    assert response.status_code == 403
    assert not Signature.objects.exists()
