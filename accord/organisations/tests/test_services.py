"""Services that change a mediation service and its staff roles."""

from __future__ import annotations

import pytest

from accord.accounts.models import User
from accord.audit.models import AuditEvent
from accord.core.errors import NotPermitted, ValidationFailed
from accord.organisations.models import Membership, Organisation, Role
from accord.organisations.services import (
    membership_grant,
    membership_revoke,
    organisation_create,
    organisation_first_admin_grant,
    organisation_update,
)
from accord.testing.factories import UserFactory


@pytest.fixture
def organisation(db):
    return organisation_create(actor=None, name="Lakeside Mediation", slug="lakeside")


@pytest.fixture
def admin(organisation):
    user = User.objects.create_user("admin@lakeside.example", full_name="Ann Admin")
    organisation_first_admin_grant(actor=None, organisation=organisation, user=user)
    return user


def test_updating_a_service_records_which_fields_changed(organisation, admin):
    organisation_update(
        actor=admin,
        organisation=organisation,
        name="  Lakeside Family Mediation ",
        region="scotland",
        email="hello@lakeside.example",
    )
    organisation.refresh_from_db()
    assert (organisation.name, organisation.region) == ("Lakeside Family Mediation", "scotland")
    event = AuditEvent.objects.get(action="organisation.updated")
    assert event.details == {"fields": ["name", "region", "email"]}
    assert event.actor_id == admin.pk


def test_an_unchanged_service_records_nothing(organisation, admin):
    organisation_update(actor=admin, organisation=organisation, name="Lakeside Mediation")
    assert not AuditEvent.objects.filter(action="organisation.updated").exists()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"reference_prefix": "acc"}, "reference_prefix"),
        ({"reference_prefix": "A"}, "reference_prefix"),
        ({"reference_prefix": "ÀÉ"}, "reference_prefix"),
        ({"region": "wales"}, "region"),
        ({"email": "not-an-email"}, "email"),
        ({"phone": "call me maybe"}, "phone"),
        ({"slug": "renamed"}, "slug"),
    ],
)
def test_bad_service_details_are_refused_and_nothing_changes(organisation, admin, data, field):
    before = Organisation.objects.filter(pk=organisation.pk).values().get()
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as excinfo:
        organisation_update(actor=admin, organisation=organisation, **data)
    assert field in excinfo.value.field_errors
    assert Organisation.objects.filter(pk=organisation.pk).values().get() == before
    assert AuditEvent.objects.count() == events


def test_only_a_service_admin_may_change_its_details(service, other_service):
    organisation = service.organisation
    before = Organisation.objects.filter(pk=organisation.pk).values().get()
    events = AuditEvent.objects.count()
    refused = (service.mediator, service.coordinator, service.supervisor, other_service.admin)
    for actor in (None, *refused):
        with pytest.raises(NotPermitted):
            organisation_update(
                actor=actor, organisation=organisation, name="Hijacked", email="x@example.org"
            )
    assert Organisation.objects.filter(pk=organisation.pk).values().get() == before
    assert AuditEvent.objects.count() == events
    organisation_update(actor=service.admin, organisation=organisation, name="Riverside Mediation")
    assert Organisation.objects.get(pk=organisation.pk).name == "Riverside Mediation"
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.actor_id) == ("organisation.updated", service.admin.pk)


def test_the_platform_operator_makes_a_new_services_first_admin_and_only_that(
    organisation, other_service
):
    first = User.objects.create_user("first@lakeside.example", full_name="First Admin")
    second = User.objects.create_user("second@lakeside.example", full_name="Second Admin")
    events = AuditEvent.objects.count()
    with pytest.raises(NotPermitted):
        organisation_first_admin_grant(
            actor=other_service.admin, organisation=organisation, user=other_service.admin
        )
    assert not Membership.objects.filter(organisation=organisation).exists()
    assert AuditEvent.objects.count() == events
    operator = User.objects.create_superuser("operator@example.org", full_name="Operator")
    organisation_first_admin_grant(actor=operator, organisation=organisation, user=first)
    assert Membership.objects.get(organisation=organisation).user == first
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.actor_id) == ("membership.granted", operator.pk)
    # Once the service has an admin, they add its staff: the platform path is closed.
    with pytest.raises(ValidationFailed, match="already has an admin"):
        organisation_first_admin_grant(actor=None, organisation=organisation, user=second)
    assert [m.user_id for m in Membership.objects.filter(organisation=organisation)] == [first.pk]
    assert AuditEvent.objects.count() == events + 1


def test_the_last_service_admin_cannot_be_revoked(organisation, admin):
    membership = Membership.objects.get(organisation=organisation, user=admin)
    with pytest.raises(ValidationFailed, match="at least one service admin"):
        membership_revoke(actor=admin, membership=membership)
    assert Membership.objects.get(pk=membership.pk).is_active


def test_an_admin_can_be_revoked_when_another_remains(organisation, admin):
    second = UserFactory()
    membership = Membership.objects.get(organisation=organisation, user=admin)
    membership_grant(actor=admin, organisation=organisation, user=second, role=Role.SERVICE_ADMIN)
    membership_revoke(actor=second, membership=membership)
    assert not Membership.objects.get(pk=membership.pk).is_active
    assert AuditEvent.objects.filter(action="membership.revoked").count() == 1


def test_other_roles_can_always_be_revoked(organisation, admin):
    person = UserFactory()
    membership = membership_grant(
        actor=admin, organisation=organisation, user=person, role=Role.COORDINATOR
    )
    membership_revoke(actor=admin, membership=membership)
    assert not Membership.objects.get(pk=membership.pk).is_active
