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


def test_an_admin_reads_and_records_a_mediator_profile(service):
    from accord.audit.models import AuditEvent

    client = token_client(service.admin)
    path = f"/staff/{service.mediator2.pk}"
    read = client.get(path)
    assert read.status_code == 200, read.json()
    assert read.json()["mediator_profile"]["supervisor_id"] == service.supervisor.pk

    saved = client.put(
        f"{path}/mediator-profile",
        {"fmc_urn": "fmc-777", "accreditation": "provisional", "supervisor_id": None},
    )

    assert saved.status_code == 200, saved.json()
    profile = saved.json()["mediator_profile"]
    assert profile == {
        "fmc_urn": "FMC-777",
        "accreditation": "provisional",
        "accreditation_label": "Provisional",
        "supervisor_id": None,
        "supervisor": None,
    }
    assert client.get(path).json()["mediator_profile"] == profile
    event = AuditEvent.objects.filter(action="mediator_profile.saved").latest("id")
    assert event.actor_id == service.admin.pk


def test_a_profile_with_bad_values_is_422_and_changes_nothing(service, other_service):
    from accord.organisations.models import MediatorProfile

    client = token_client(service.admin)
    path = f"/staff/{service.mediator2.pk}/mediator-profile"
    before = list(MediatorProfile.objects.values())
    for body, field in [
        ({"fmc_urn": "no spaces!", "accreditation": "accredited"}, "fmc_urn"),
        ({"accreditation": "wizard"}, "accreditation"),
        ({"supervisor_id": other_service.supervisor.pk}, "supervisor_id"),
        ({"supervisor_id": service.mediator2.pk}, "supervisor"),
    ]:
        response = client.put(path, body)
        assert response.status_code == 422, (body, response.json())
        assert field in response.json()["errors"], (body, response.json())
    assert list(MediatorProfile.objects.values()) == before


def test_staff_read_only_their_own_profile_and_edit_none(service, other_service):
    from accord.organisations.models import MediatorProfile

    mediator = token_client(service.mediator2)
    own = mediator.get(f"/staff/{service.mediator2.pk}")
    assert own.status_code == 200 and own.json()["roles"] == ["mediator"]
    assert own.json()["mediator_profile"]["supervisor_id"] == service.supervisor.pk
    before = list(MediatorProfile.objects.values())
    for user in (service.mediator2, service.coordinator, service.parties["alice"]):
        client = token_client(user)
        assert client.get(f"/staff/{service.mediator.pk}").status_code == 404
        edit = client.put(f"/staff/{service.mediator2.pk}/mediator-profile", {"fmc_urn": "X1"})
        assert edit.status_code == 404
    assert token_client(other_service.admin).get(f"/staff/{service.mediator.pk}").status_code == 404
    assert list(MediatorProfile.objects.values()) == before


def test_reinstate_remove_and_waiting_invitations(service):
    from accord.deadlines.models import OutboundEmail
    from accord.organisations.models import StaffInvitationStatus

    client = token_client(service.admin)
    user_id = service.mediator2.pk
    assert client.post(f"/staff/{user_id}/reinstate").status_code == 422  # not suspended
    client.post(f"/staff/{user_id}/suspend", {"reason": "Investigation"})
    back = client.post(f"/staff/{user_id}/reinstate")
    assert back.status_code == 200 and back.json()["suspended"] is False
    assert User.objects.get(pk=user_id).is_active

    removed = client.post(f"/staff/{user_id}/remove")
    assert removed.json() == {"user_id": user_id, "removed": True}
    assert roles_in(User.objects.get(pk=user_id), service.organisation.pk) == frozenset()
    assert client.get(f"/staff/{user_id}").status_code == 404
    assert client.post(f"/staff/{service.admin.pk}/remove").status_code == 422  # yourself

    invited = client.post(
        "/staff/invitations",
        {"email": "ola@riverside.example", "full_name": "Ola Other", "roles": ["coordinator"]},
    ).json()
    emails = OutboundEmail.objects.count()
    resent = client.post(f"/staff/invitations/{invited['id']}/resend")
    assert resent.status_code == 200 and OutboundEmail.objects.count() == emails + 1
    withdrawn = client.post(f"/staff/invitations/{invited['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert StaffInvitation.objects.get(pk=invited["id"]).status == StaffInvitationStatus.WITHDRAWN
    assert client.post(f"/staff/invitations/{invited['id']}/resend").status_code == 422
    outsider = token_client(service.coordinator)
    assert outsider.post(f"/staff/invitations/{invited['id']}/withdraw").status_code == 404
