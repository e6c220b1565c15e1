"""The agenda asks what a topic is about only where the kind of case has more than one answer."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accord.agenda.models import AgendaItem
from accord.agenda.tests.helpers import propose, snapshot
from accord.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def _civil(service, **overrides):
    return propose(
        service,
        service.parties["carol"],
        case=service.cases["civil"],
        title="The unpaid invoice",
        **overrides,
    )


def test_a_civil_topic_is_about_something_else_without_being_asked(service):
    item = _civil(service, topic="")
    assert item.topic == "other" and item.touches_children is False


@pytest.mark.parametrize("topic", ["child_arrangements", "finances", "property"])
def test_a_civil_case_refuses_family_topics_and_saves_nothing(service, topic):
    before = snapshot()
    with pytest.raises(ValidationFailed) as caught:
        _civil(service, topic=topic)
    assert caught.value.field_errors["topic"] == [
        "A civil case's topics can be about: something else."
    ]
    assert snapshot() == before


def test_a_family_case_may_still_put_money_on_a_children_case_agenda(service):
    assert propose(service, title="Maintenance", topic="finances").topic == "finances"
    with pytest.raises(ValidationFailed):
        propose(service, topic="")  # a family case must say what the topic is about


def test_the_portal_form_of_a_civil_case_does_not_ask_about_children_or_topics(service):
    client = Client()
    client.force_login(service.parties["carol"])
    case = service.cases["civil"]
    page = client.get(reverse("agenda:portal_item_new", args=[case.pk])).content.decode()
    assert "What is it about?" not in page
    assert "about the children" not in page
    assert "The unpaid invoice" in page  # the kind's own example
    response = client.post(
        reverse("agenda:portal_item_new", args=[case.pk]),
        {"title": "Invoice", "topic": "other", "issue": "It was not paid."},
    )
    assert response.status_code == 302
    assert AgendaItem.objects.get(case=case).topic == "other"


def test_the_portal_form_of_a_family_case_asks_both(service):
    client = Client()
    client.force_login(service.parties["alice"])
    page = client.get(reverse("agenda:portal_item_new", args=[service.case.pk])).content.decode()
    assert "What is it about?" in page and "This topic is about the children" in page
