"""The kinds of mediation a service offers: the service, its settings form and its effects."""

from __future__ import annotations

import importlib

import pytest
from django.test import Client
from django.urls import reverse

from accord.audit.models import AuditEvent
from accord.cases.models import Case
from accord.core.errors import NotPermitted, ValidationFailed
from accord.organisations.models import Organisation
from accord.organisations.services import organisation_create, organisation_set_kinds_offered

pytestmark = pytest.mark.django_db

FAMILY = ["family_children", "family_finance", "family_all"]


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _events() -> int:
    return AuditEvent.objects.filter(action="organisation.kinds_offered_set").count()


def test_a_new_service_offers_the_family_kinds():
    organisation = organisation_create(actor=None, name="Lakeside", slug="lakeside")
    assert organisation.kinds_offered == FAMILY
    assert organisation.offers("family_all") and not organisation.offers("civil")


def test_the_migration_gives_existing_services_the_family_kinds():
    migration = importlib.import_module("accord.organisations.migrations.0002_kinds_offered")
    field = migration.Migration.operations[0].field
    assert field.default() == FAMILY


def test_an_admin_sets_the_kinds_offered_in_kinds_order_and_it_is_audited(service):
    organisation_set_kinds_offered(
        actor=service.admin,
        organisation=service.organisation,
        kinds=["community", "civil", "civil", "workplace"],
    )
    service.organisation.refresh_from_db()
    assert service.organisation.kinds_offered == ["civil", "workplace", "community"]
    event = AuditEvent.objects.get(action="organisation.kinds_offered_set")
    assert event.actor_id == service.admin.pk
    assert event.details["kinds"] == ["civil", "workplace", "community"]


def test_saving_the_same_kinds_again_records_nothing(service):
    organisation_set_kinds_offered(
        actor=service.admin,
        organisation=service.organisation,
        kinds=list(service.organisation.kinds_offered),
    )
    assert _events() == 0


@pytest.mark.parametrize(
    ("kinds", "message"),
    [
        ([], "Choose at least one kind of mediation your service offers."),
        (["civil", "divorce"], "'divorce' is not a kind of mediation Accord knows"),
    ],
)
def test_unknown_kinds_and_an_empty_set_are_refused_with_nothing_changed(service, kinds, message):
    before = list(service.organisation.kinds_offered)
    with pytest.raises(ValidationFailed) as caught:
        organisation_set_kinds_offered(
            actor=service.admin, organisation=service.organisation, kinds=kinds
        )
    assert message in caught.value.field_errors["kinds_offered"][0]
    service.organisation.refresh_from_db()
    assert service.organisation.kinds_offered == before
    assert _events() == 0


def test_only_a_service_admin_may_set_the_kinds(service, other_service):
    before = list(service.organisation.kinds_offered)
    for actor in (service.coordinator, service.mediator, other_service.admin, None):
        with pytest.raises(NotPermitted):
            organisation_set_kinds_offered(
                actor=actor, organisation=service.organisation, kinds=["civil"]
            )
    service.organisation.refresh_from_db()
    assert service.organisation.kinds_offered == before
    assert _events() == 0


def test_the_settings_page_saves_the_kinds_and_links_the_public_forms(service):
    client = _client(service.admin)
    response = client.post(reverse("organisations:kinds_offered"), {"kinds_offered": ["civil"]})
    assert response["Location"] == reverse("organisations:settings")
    assert Organisation.objects.get(pk=service.organisation.pk).kinds_offered == ["civil"]
    page = client.get(reverse("organisations:settings"))
    assert page.context["form"]["kinds_offered"].value() == ["civil"]
    html = page.content.decode()
    civil = reverse("intake:public_form", args=[service.organisation.slug, "civil"])
    family = reverse("intake:public_form", args=[service.organisation.slug, "family"])
    assert f'href="{civil}"' in html
    assert f'href="{family}"' not in html
    assert f'href="{reverse("intake:landing")}"' in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose at least one kind of mediation your service offers."),
        ({"kinds_offered": ["civil", "divorce"]}, "Choose the kinds of mediation from the list."),
    ],
)
def test_the_settings_form_shows_errors_and_saves_nothing(service, data, message):
    before = list(service.organisation.kinds_offered)
    response = _client(service.admin).post(reverse("organisations:kinds_offered"), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Organisation.objects.get(pk=service.organisation.pk).kinds_offered == before


def test_other_staff_cannot_reach_the_kinds_form(service):
    before = list(service.organisation.kinds_offered)
    for user in (service.coordinator, service.mediator):
        response = _client(user).post(
            reverse("organisations:kinds_offered"), {"kinds_offered": ["civil"]}
        )
        assert response.status_code == 404
    assert Organisation.objects.get(pk=service.organisation.pk).kinds_offered == before


def test_the_new_case_page_offers_only_the_kinds_offered(service):
    organisation_set_kinds_offered(
        actor=service.admin, organisation=service.organisation, kinds=["civil", "community"]
    )
    client = _client(service.coordinator)
    form = client.get(reverse("cases:new")).context["form"]
    assert [code for code, _ in form.fields["kind"].choices] == ["", "civil", "community"]
    count = Case.objects.count()
    response = client.post(reverse("cases:new"), {"kind": "send", "title": "Green / LA"})
    assert response.status_code == 422
    assert "Riverside Family Mediation does not offer SEND mediation" in response.content.decode()
    response = client.post(reverse("cases:new"), {"kind": "divorce", "title": "X"})
    assert "Choose the kind of mediation from the list." in response.content.decode()
    assert Case.objects.count() == count
    client.post(reverse("cases:new"), {"kind": "community", "title": "Noise"})
    assert Case.objects.latest("id").kind == "community"
