"""Staff onboarding: a service admin invites, changes roles, suspends and removes staff."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from accord.accounts.models import ApiToken, User
from accord.accounts.services import api_token_create, invitation_accept
from accord.audit.models import AuditEvent
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.deadlines.models import OutboundEmail
from accord.organisations import services
from accord.organisations.models import (
    Accreditation,
    MediatorProfile,
    Membership,
    Role,
    StaffInvitation,
    StaffInvitationStatus,
)
from accord.organisations.selectors import roles_in

PASSWORD = "a long and careful passphrase 42"


def _secret_from_outbox(email: str) -> str:
    body = OutboundEmail.objects.filter(to_email=email).latest("id").body
    match = re.search(r"/invite/([^/\s]+)/", body)
    assert match, body
    return match.group(1)


def _invite_mediator(service, email="new.mediator@riverside.example"):
    return services.staff_invite(
        actor=service.admin,
        organisation=service.organisation,
        email=email,
        full_name="Nadia Newman",
        roles=[Role.MEDIATOR],
        fmc_urn="fmc9876",
        accreditation=Accreditation.PROVISIONAL,
        supervisor_id=service.supervisor.pk,
    )


def test_an_invited_mediator_gets_roles_and_profile_only_when_they_accept(service):
    invitation = _invite_mediator(service)
    user = invitation.user
    assert invitation.status == StaffInvitationStatus.PENDING
    assert roles_in(user, service.organisation.pk) == frozenset()
    email = OutboundEmail.objects.get(to_email=user.email)
    assert "Riverside Family Mediation" in email.subject and "two-factor" in email.body
    assert AuditEvent.objects.filter(action="staff.invited").count() == 1

    invitation_accept(
        secret=_secret_from_outbox(user.email), password=PASSWORD, password_again=PASSWORD
    )
    user = User.objects.get(pk=user.pk)
    invitation.refresh_from_db()
    assert invitation.status == StaffInvitationStatus.ACCEPTED
    assert roles_in(user, service.organisation.pk) == frozenset({Role.MEDIATOR})
    profile = MediatorProfile.objects.get(user=user, organisation=service.organisation)
    assert (profile.fmc_urn, profile.accreditation, profile.supervisor) == (
        "FMC9876",
        Accreditation.PROVISIONAL,
        service.supervisor,
    )
    assert AuditEvent.objects.filter(action="staff.joined").count() == 1


def test_the_invited_person_must_set_up_two_factor_before_using_staff_pages(service):
    invitation = _invite_mediator(service)
    client = Client()
    secret = _secret_from_outbox(invitation.user.email)
    response = client.post(f"/invite/{secret}/", {"password": PASSWORD, "password_again": PASSWORD})
    assert response.status_code == 302
    dashboard = client.get(reverse("cases:dashboard"))
    assert dashboard.status_code == 302 and dashboard["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"full_name": "  "}, "full_name"),
        ({"roles": []}, "roles"),
        ({"roles": ["wizard"]}, "roles"),
        ({"fmc_urn": "FMC 12!"}, "fmc_urn"),
        ({"supervisor_id": 999999}, "supervisor"),
    ],
)
def test_bad_invitations_are_refused_with_a_reason_and_nothing_saved(service, data, field):
    values = {
        "email": "someone@riverside.example",
        "full_name": "Some One",
        "roles": [Role.MEDIATOR],
        "fmc_urn": "",
        "supervisor_id": None,
        **data,
    }
    with pytest.raises(ValidationFailed) as exc:
        services.staff_invite(actor=service.admin, organisation=service.organisation, **values)
    assert field in exc.value.field_errors
    assert not StaffInvitation.objects.exists()
    assert not OutboundEmail.objects.exists()
    assert not User.objects.filter(email="someone@riverside.example").exists()


def test_existing_staff_cannot_be_invited_twice(service):
    with pytest.raises(ValidationFailed) as exc:
        services.staff_invite(
            actor=service.admin,
            organisation=service.organisation,
            email=service.mediator.email,
            full_name="Again",
            roles=[Role.COORDINATOR],
        )
    assert "already a member" in exc.value.field_errors["email"][0]
    _invite_mediator(service)
    with pytest.raises(ValidationFailed) as exc:
        _invite_mediator(service)
    assert "resend it instead" in exc.value.field_errors["email"][0]


def test_only_a_service_admin_may_manage_staff(service, other_service):
    for actor in (service.coordinator, service.mediator, other_service.admin):
        with pytest.raises(NotPermitted):
            services.staff_invite(
                actor=actor,
                organisation=service.organisation,
                email="x@riverside.example",
                full_name="X",
                roles=[Role.COORDINATOR],
            )
        with pytest.raises(NotPermitted):
            services.staff_suspend(
                actor=actor, organisation=service.organisation, user_id=service.mediator2.pk
            )
    assert not StaffInvitation.objects.exists()
    assert User.objects.get(pk=service.mediator2.pk).is_active


def test_only_a_service_admin_may_set_a_mediator_profile(service, other_service):
    profiles = MediatorProfile.objects.filter(organisation=service.organisation)
    before = list(profiles.order_by("pk").values())
    events = AuditEvent.objects.count()
    refused = (service.mediator, service.mediator2, service.coordinator, other_service.admin)
    for actor in refused:
        with pytest.raises(NotPermitted):
            services.mediator_profile_set(
                actor=actor,
                organisation=service.organisation,
                user=service.mediator2,
                fmc_urn="FMC-0001",
                accreditation=Accreditation.ACCREDITED,
            )
    assert list(profiles.order_by("pk").values()) == before
    assert AuditEvent.objects.count() == events
    services.mediator_profile_set(
        actor=service.admin,
        organisation=service.organisation,
        user=service.mediator2,
        fmc_urn="FMC-0001",
        accreditation=Accreditation.ACCREDITED,
    )
    assert profiles.get(user=service.mediator2).accreditation == Accreditation.ACCREDITED
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.actor_id) == ("mediator_profile.saved", service.admin.pk)


def test_only_a_service_admin_may_grant_a_role(service, other_service):
    memberships = Membership.objects.filter(organisation=service.organisation)
    before = list(memberships.order_by("pk").values())
    events = AuditEvent.objects.count()
    refused = (None, service.mediator, service.coordinator, service.supervisor, other_service.admin)
    for actor in refused:
        with pytest.raises(NotPermitted):
            services.membership_grant(
                actor=actor,
                organisation=service.organisation,
                user=service.mediator2,
                role=Role.SERVICE_ADMIN,
            )
    assert list(memberships.order_by("pk").values()) == before
    assert AuditEvent.objects.count() == events
    assert Role.SERVICE_ADMIN not in roles_in(service.mediator2, service.organisation.pk)
    services.membership_grant(
        actor=service.admin,
        organisation=service.organisation,
        user=service.mediator2,
        role=Role.SERVICE_ADMIN,
    )
    assert Role.SERVICE_ADMIN in roles_in(service.mediator2, service.organisation.pk)
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.actor_id) == ("membership.granted", service.admin.pk)


def test_only_a_service_admin_may_withdraw_a_role(service, other_service):
    membership = Membership.objects.get(user=service.coordinator, role=Role.COORDINATOR)
    events = AuditEvent.objects.count()
    refused = (None, service.mediator, service.coordinator, service.supervisor, other_service.admin)
    for actor in refused:
        with pytest.raises(NotPermitted):
            services.membership_revoke(actor=actor, membership=membership)
    assert Membership.objects.get(pk=membership.pk).is_active
    assert AuditEvent.objects.count() == events
    services.membership_revoke(actor=service.admin, membership=membership)
    assert not Membership.objects.get(pk=membership.pk).is_active
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.actor_id) == ("membership.revoked", service.admin.pk)


def test_resend_replaces_the_link_and_withdraw_stops_it(service):
    invitation = _invite_mediator(service)
    first = _secret_from_outbox(invitation.user.email)
    services.staff_invitation_resend(
        actor=service.admin, organisation=service.organisation, staff_invitation_id=invitation.pk
    )
    second = _secret_from_outbox(invitation.user.email)
    assert first != second
    with pytest.raises(NotFoundOrHidden):
        invitation_accept(secret=first, password=PASSWORD, password_again=PASSWORD)
    services.staff_invitation_withdraw(
        actor=service.admin, organisation=service.organisation, staff_invitation_id=invitation.pk
    )
    with pytest.raises(NotFoundOrHidden):
        invitation_accept(secret=second, password=PASSWORD, password_again=PASSWORD)
    assert roles_in(invitation.user, service.organisation.pk) == frozenset()
    with pytest.raises(ValidationFailed):
        services.staff_invitation_withdraw(
            actor=service.admin,
            organisation=service.organisation,
            staff_invitation_id=invitation.pk,
        )
    with pytest.raises(NotFoundOrHidden):
        services.staff_invitation_resend(
            actor=service.admin, organisation=service.organisation, staff_invitation_id=999999
        )


def test_roles_change_and_are_audited(service):
    services.staff_set_roles(
        actor=service.admin,
        organisation=service.organisation,
        user_id=service.coordinator.pk,
        roles=[Role.COORDINATOR, Role.SAFEGUARDING_LEAD],
    )
    assert roles_in(User.objects.get(pk=service.coordinator.pk), service.organisation.pk) == {
        Role.COORDINATOR,
        Role.SAFEGUARDING_LEAD,
    }
    event = AuditEvent.objects.get(action="staff.roles_changed")
    assert event.details["before"] == [Role.COORDINATOR]


def test_an_admin_cannot_drop_their_own_admin_role_or_leave_no_admin(service):
    with pytest.raises(ValidationFailed) as exc:
        services.staff_set_roles(
            actor=service.admin,
            organisation=service.organisation,
            user_id=service.admin.pk,
            roles=[Role.COORDINATOR],
        )
    assert "your own" in exc.value.message
    for action in (services.staff_suspend, services.staff_remove):
        with pytest.raises(ValidationFailed) as exc:
            action(actor=service.admin, organisation=service.organisation, user_id=service.admin.pk)
        assert "yourself" in exc.value.message
    assert roles_in(User.objects.get(pk=service.admin.pk), service.organisation.pk) == {
        Role.SERVICE_ADMIN
    }


def test_a_second_admin_may_remove_the_first_but_then_cannot_drop_their_own_admin_role(service):
    services.staff_set_roles(
        actor=service.admin,
        organisation=service.organisation,
        user_id=service.coordinator.pk,
        roles=[Role.COORDINATOR, Role.SERVICE_ADMIN],
    )
    second_admin = User.objects.get(pk=service.coordinator.pk)
    services.staff_remove(
        actor=second_admin, organisation=service.organisation, user_id=service.admin.pk
    )
    second_admin = User.objects.get(pk=service.coordinator.pk)
    with pytest.raises(ValidationFailed):
        services.staff_set_roles(
            actor=second_admin,
            organisation=service.organisation,
            user_id=second_admin.pk,
            roles=[Role.COORDINATOR],
        )
    assert Role.SERVICE_ADMIN in roles_in(
        User.objects.get(pk=second_admin.pk), service.organisation.pk
    )


def test_suspending_ends_sessions_and_tokens_and_keeps_history(service):
    client = Client()
    client.force_login(service.mediator2)
    assert client.get(reverse("cases:dashboard")).status_code == 200
    api_token_create(user=service.mediator2, name="laptop")
    services.staff_suspend(
        actor=service.admin,
        organisation=service.organisation,
        user_id=service.mediator2.pk,
        reason="Investigation",
    )
    user = User.objects.get(pk=service.mediator2.pk)
    assert not user.is_active
    assert client.get(reverse("cases:dashboard")).status_code == 302
    assert not ApiToken.objects.filter(user=user, revoked_at=None).exists()
    assert Membership.objects.filter(user=user, is_active=True).exists()
    assert Client().login(email=user.email, password="x") is False
    with pytest.raises(ValidationFailed):
        services.staff_suspend(
            actor=service.admin, organisation=service.organisation, user_id=user.pk
        )
    services.staff_reinstate(
        actor=service.admin, organisation=service.organisation, user_id=user.pk
    )
    assert User.objects.get(pk=user.pk).is_active


def test_removing_ends_membership_but_keeps_the_history(service):
    services.staff_remove(
        actor=service.admin, organisation=service.organisation, user_id=service.mediator2.pk
    )
    user = User.objects.get(pk=service.mediator2.pk)
    assert roles_in(user, service.organisation.pk) == frozenset()
    assert Membership.objects.filter(user=user, is_active=False).exists()
    assert AuditEvent.objects.filter(action="staff.removed").exists()
    with pytest.raises(ValidationFailed):
        services.staff_remove(
            actor=service.admin, organisation=service.organisation, user_id=user.pk
        )


def test_staff_of_another_service_is_not_found(service, other_service):
    with pytest.raises(NotFoundOrHidden):
        services.staff_remove(
            actor=service.admin, organisation=service.organisation, user_id=other_service.admin.pk
        )
    assert roles_in(other_service.admin, other_service.organisation.pk) == {Role.SERVICE_ADMIN}


def test_the_staff_page_invites_and_shows_pending_invitations(service):
    client = Client()
    client.force_login(service.admin)
    page = client.get(reverse("organisations:staff"))
    assert page.status_code == 200 and service.mediator.email in page.content.decode()
    response = client.post(
        reverse("organisations:staff_invite"),
        {
            "full_name": "Nadia Newman",
            "email": "nadia@riverside.example",
            "roles": [Role.MEDIATOR],
            "fmc_urn": "FMC55",
            "accreditation": Accreditation.ACCREDITED,
            "supervisor": "",
        },
    )
    assert response.status_code == 302
    html = client.get(reverse("organisations:staff")).content.decode()
    assert "Invitations waiting to be accepted" in html and "nadia@riverside.example" in html
    bad = client.post(reverse("organisations:staff_invite"), {"full_name": "X", "email": "bad"})
    assert bad.status_code == 422
    assert "Enter an email address in the correct format" in bad.content.decode()
    refused = client.post(reverse("organisations:staff_remove", args=[service.admin.pk]))
    assert refused.status_code == 422 and "You cannot remove yourself" in refused.content.decode()


def test_other_staff_and_parties_cannot_reach_the_staff_page(service):
    for user in (service.coordinator, service.mediator, service.parties["alice"]):
        client = Client()
        client.force_login(user)
        assert client.get(reverse("organisations:staff")).status_code == 404
        assert (
            client.post(
                reverse("organisations:staff_remove", args=[service.mediator2.pk])
            ).status_code
            == 404
        )
    assert roles_in(User.objects.get(pk=service.mediator2.pk), service.organisation.pk)
