"""The staff API: service admins list, invite, change roles and suspend; anyone else gets 404."""

from __future__ import annotations

import pytest

from accord.accounts.models import User
from accord.api.tests.conftest import token_client
from accord.organisations.models import Role, StaffInvitation
from accord.organisations.selectors import roles_in

pytestmark = pytest.mark.django_db


def test_an_admin_lists_staff_and_pending_invitations(service):
    client = token_client(service.admin)
    created = client.post(
        "/staff/invitations",
        {
            "email": "nadia@riverside.example",
            "full_name": "Nadia Newman",
            "roles": ["mediator"],
            "fmc_urn": "FMC55",
            "accreditation": "accredited",
        },
    )
    assert created.status_code == 201, created.content
    assert created.json()["roles"] == ["mediator"]
    body = client.get("/staff").json()
    emails = {row["email"] for row in body["staff"]}
    assert service.mediator.email in emails and "nadia@riverside.example" not in emails
    assert [i["email"] for i in body["pending_invitations"]] == ["nadia@riverside.example"]


def test_bad_invitations_get_422_with_field_errors(service):
    client = token_client(service.admin)
    response = client.post(
        "/staff/invitations", {"email": "nope", "full_name": "X", "roles": ["mediator"]}
    )
    assert response.status_code == 422 and "email" in response.json()["errors"]
    response = client.post(
        "/staff/invitations", {"email": "a@b.example", "full_name": "X", "roles": ["wizard"]}
    )
    assert response.status_code == 422
    assert not StaffInvitation.objects.exists()


def test_roles_change_and_guardrails_answer_422(service):
    client = token_client(service.admin)
    response = client.post(
        f"/staff/{service.coordinator.pk}/roles", {"roles": ["coordinator", "supervisor"]}
    )
    assert response.status_code == 200 and response.json()["roles"] == ["coordinator", "supervisor"]
    refused = client.post(f"/staff/{service.admin.pk}/roles", {"roles": ["coordinator"]})
    assert refused.status_code == 422
    assert roles_in(User.objects.get(pk=service.admin.pk), service.organisation.pk) == {
        Role.SERVICE_ADMIN
    }
    refused = client.post(f"/staff/{service.admin.pk}/suspend", {"reason": ""})
    assert refused.status_code == 422 and "yourself" in refused.json()["detail"]


def test_suspend_through_the_api_stops_the_persons_token(service):
    victim = token_client(service.mediator2)
    assert victim.get("/me").status_code == 200
    response = token_client(service.admin).post(
        f"/staff/{service.mediator2.pk}/suspend", {"reason": "Investigation"}
    )
    assert response.status_code == 200 and response.json()["suspended"] is True
    assert victim.get("/me").status_code == 401


def test_other_staff_parties_and_other_services_get_404(service, other_service):
    for user in (service.coordinator, service.parties["alice"]):
        client = token_client(user)
        assert client.get("/staff").status_code == 404
        assert client.post(f"/staff/{service.mediator2.pk}/suspend", {}).status_code == 404
    # Another service's admin sees only their own staff, and cannot touch this service's.
    other = token_client(other_service.admin)
    emails = {row["email"] for row in other.get("/staff").json()["staff"]}
    assert service.mediator2.email not in emails and other_service.mediator.email in emails
    assert other.post(f"/staff/{service.mediator2.pk}/suspend", {}).status_code == 404
    assert User.objects.get(pk=service.mediator2.pk).is_active
