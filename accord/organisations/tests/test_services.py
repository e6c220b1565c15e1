"""Services that change a mediation service and its staff roles."""

from __future__ import annotations

import pytest

from accord.accounts.models import User
from accord.audit.models import AuditEvent
from accord.core.errors import ValidationFailed
from accord.organisations.models import Membership, Organisation, Role
from accord.organisations.services import (
    membership_grant,
    membership_revoke,
    organisation_create,
    organisation_update,
)
from accord.testing.factories import UserFactory


@pytest.fixture
def organisation(db):
    return organisation_create(actor=None, name="Lakeside Mediation", slug="lakeside")


def test_updating_a_service_records_which_fields_changed(organisation):
    actor = User.objects.create_user("actor@example.org", full_name="Ann Actor")
    organisation_update(
        actor=actor,
        organisation=organisation,
        name="  Lakeside Family Mediation ",
        region="scotland",
        email="hello@lakeside.example",
    )
    organisation.refresh_from_db()
    assert (organisation.name, organisation.region) == ("Lakeside Family Mediation", "scotland")
    event = AuditEvent.objects.get(action="organisation.updated")
    assert event.details == {"fields": ["name", "region", "email"]}
    assert event.actor_id == actor.pk


def test_an_unchanged_service_records_nothing(organisation):
    organisation_update(actor=None, organisation=organisation, name="Lakeside Mediation")
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
def test_bad_service_details_are_refused_and_nothing_changes(organisation, data, field):
    before = Organisation.objects.filter(pk=organisation.pk).values().get()
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as excinfo:
        organisation_update(actor=None, organisation=organisation, **data)
    assert field in excinfo.value.field_errors
    assert Organisation.objects.filter(pk=organisation.pk).values().get() == before
    assert AuditEvent.objects.count() == events


def test_the_last_service_admin_cannot_be_revoked(organisation):
    admin = UserFactory()
    membership = membership_grant(
        actor=None, organisation=organisation, user=admin, role=Role.SERVICE_ADMIN
    )
    with pytest.raises(ValidationFailed, match="at least one service admin"):
        membership_revoke(actor=admin, membership=membership)
    assert Membership.objects.get(pk=membership.pk).is_active


def test_an_admin_can_be_revoked_when_another_remains(organisation):
    first, second = UserFactory(), UserFactory()
    membership = membership_grant(
        actor=None, organisation=organisation, user=first, role=Role.SERVICE_ADMIN
    )
    membership_grant(actor=None, organisation=organisation, user=second, role=Role.SERVICE_ADMIN)
    membership_revoke(actor=second, membership=membership)
    assert not Membership.objects.get(pk=membership.pk).is_active
    assert AuditEvent.objects.filter(action="membership.revoked").count() == 1


def test_other_roles_can_always_be_revoked(organisation):
    person = UserFactory()
    membership = membership_grant(
        actor=None, organisation=organisation, user=person, role=Role.COORDINATOR
    )
    membership_revoke(actor=None, membership=membership)
    assert not Membership.objects.get(pk=membership.pk).is_active
