"""A member of staff who is also a party reaches that case in the portal, with a party's view only;
and being a party never gives staff access."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from accord.cases import services as case_services
from accord.cases.models import Participant
from accord.cases.selectors import is_portal_party
from accord.cases.workspace import section_url


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _make_party(case: Any, user: Any, actor: Any) -> Participant:
    participant = case_services.participant_add(
        actor=actor, case=case, role="party", full_name=user.full_name, email=user.email
    )
    Participant.objects.filter(pk=participant.pk).update(user=user, portal_access=True)
    return participant


def test_staff_of_another_service_reach_the_portal_for_their_own_case(service, other_service):
    staff = other_service.mediator
    _make_party(service.case, staff, service.coordinator)
    client = _client(staff)
    assert is_portal_party(staff, service.case)
    dashboard = client.get(reverse("cases:dashboard")).content.decode()
    assert 'id="own-portal-cases"' in dashboard
    page = client.get(reverse("portal:case", args=[service.case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert service.case.organisation.name in html
    # Another party's confidential address and email never show, whatever the staff role.
    assert "1 Hidden Lane" not in html and "alice@riverside.example" not in html
    home = client.get(reverse("portal:home")).content.decode()
    assert reverse("portal:case", args=[service.case.pk]) in home


def test_being_a_party_never_grants_staff_access_to_that_case(service, other_service):
    staff = other_service.admin
    _make_party(service.case, staff, service.coordinator)
    client = _client(staff)
    assert client.get(section_url(service.case.pk, "people")).status_code == 404
    assert client.get(reverse("cases:detail", args=[service.case.pk])).status_code == 404
    assert client.get(f"/api/v1/cases/{service.case.pk}/").status_code in (403, 404)


def test_a_mediator_not_on_the_team_of_their_own_services_case_uses_the_portal(service):
    staff = service.mediator2  # lead mediator of the civil case, not on the family case's team
    _make_party(service.case, staff, service.coordinator)
    assert is_portal_party(staff, service.case)
    client = _client(staff)
    assert client.get(reverse("portal:case", args=[service.case.pk])).status_code == 200
    assert client.get(section_url(service.case.pk, "people")).status_code == 404


def test_staff_with_workspace_access_to_the_case_are_kept_to_the_workspace(service):
    # The coordinator sees every case of the service as staff: never a party's portal on it.
    _make_party(service.case, service.coordinator, service.coordinator)
    assert not is_portal_party(service.coordinator, service.case)
    response = _client(service.coordinator).get(reverse("portal:case", args=[service.case.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("cases:dashboard")


def test_staff_who_are_a_party_nowhere_still_go_to_the_dashboard(service):
    response = _client(service.mediator).get(reverse("portal:home"))
    assert response.status_code == 302 and response["Location"] == reverse("cases:dashboard")
    other = _client(service.mediator).get(reverse("portal:case", args=[service.cases["civil"].pk]))
    assert other.status_code == 302


def _invite(case: Any, user: Any, actor: Any) -> Participant:
    """Add the person as a party and invite them to the portal, as the product does."""
    participant = case_services.participant_add(
        actor=actor,
        case=case,
        role="party",
        full_name=user.full_name,
        email=user.email,
        safe_contact_methods=["email"],
    )
    return case_services.participant_invite_to_portal(
        actor=actor, participant=participant, base_url="https://accord.example"
    )


def test_the_product_invites_a_mediator_of_the_service_off_the_team_to_the_portal(service):
    from accord.accounts.models import Invitation

    staff = service.mediator2  # a mediator of this service, not on the family case's team
    participant = _invite(service.case, staff, service.coordinator)
    assert participant.user_id == staff.pk and participant.portal_access
    assert Invitation.objects.filter(user=staff).exists()
    assert _client(staff).get(reverse("portal:case", args=[service.case.pk])).status_code == 200


def test_staff_who_can_open_the_workspace_are_not_invited_and_nothing_is_saved(service):
    import pytest

    from accord.accounts.models import Invitation
    from accord.core.errors import ValidationFailed

    before = Invitation.objects.count()
    participant = case_services.participant_add(
        actor=service.coordinator,
        case=service.case,
        role="party",
        full_name="Lead Mediator As Party",
        email=service.mediator.email,  # the case's own lead mediator
        safe_contact_methods=["email"],
    )
    with pytest.raises(ValidationFailed) as refused:
        case_services.participant_invite_to_portal(
            actor=service.coordinator, participant=participant, base_url="https://accord.example"
        )
    assert "access to this case" in refused.value.field_errors["email"][0]
    participant.refresh_from_db()
    assert participant.user_id is None and not participant.portal_access
    assert Invitation.objects.count() == before


def test_staff_of_another_service_are_invited_to_the_portal_for_their_case(service, other_service):
    staff = other_service.mediator
    participant = _invite(service.case, staff, service.coordinator)
    assert participant.user_id == staff.pk
    assert is_portal_party(staff, service.case)
