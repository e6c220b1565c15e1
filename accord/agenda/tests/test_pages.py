"""Agenda pages and API through the client: staff agenda, portal agenda, and confidentiality."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.agenda.models import AgendaItem, AgendaPriority
from accord.agenda.tests.helpers import agree, propose, snapshot
from accord.api.tests.conftest import session_client, token_client
from accord.cases.workspace import section_url

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_mediator_adds_orders_and_agrees_items_on_the_staff_page(service):
    client = _client(service.mediator)
    case = service.case
    response = client.post(
        reverse("agenda:item_new", args=[case.pk]),
        {"title": "Holidays", "topic": "child_arrangements", "issue": "Summer", "view": ""},
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    propose(service, title="Money", topic="finances")
    response = client.post(
        reverse("agenda:reorder", args=[case.pk, item.pk]), {"direction": "down"}
    )
    assert response.status_code == 302
    assert AgendaItem.objects.get(pk=item.pk).position == 2
    url = reverse("agenda:status", args=[case.pk, item.pk])
    assert client.post(url, {"to_status": "exploring"}).status_code == 302
    page = client.get(reverse("agenda:case", args=[case.pk])).content.decode()
    assert "Holidays" in page and "Exploring" in page and "Move up" in page
    workspace = client.get(section_url(case.pk, "mediation")).content.decode()
    assert "2 topics" in workspace and reverse("agenda:case", args=[case.pk]) in workspace


def test_a_bad_status_change_shows_field_errors_with_422(service):
    item = agree(service, propose(service))
    client = _client(service.mediator)
    before = snapshot()
    response = client.post(
        reverse("agenda:status", args=[service.case.pk, item.pk]), {"to_status": "exploring"}
    )
    assert response.status_code == 422
    assert "Give the reason for reopening an agreed item." in response.content.decode()
    response = client.post(
        reverse("agenda:option_new", args=[service.case.pk, item.pk]), {"text": "Idea"}
    )
    assert response.status_code == 422
    assert snapshot() == before


def test_staff_who_only_look_get_403_and_change_nothing(service):
    item = propose(service)
    client = _client(service.supervisor)
    assert client.get(reverse("agenda:case", args=[service.case.pk])).status_code == 200
    before = snapshot()
    response = client.post(
        reverse("agenda:status", args=[service.case.pk, item.pk]), {"to_status": "exploring"}
    )
    assert response.status_code == 403
    response = client.post(
        reverse("agenda:reorder", args=[service.case.pk, item.pk]), {"direction": "up"}
    )
    assert response.status_code == 403
    assert snapshot() == before


def test_a_party_proposes_suggests_and_prioritises_through_the_portal(service):
    item = propose(service, service.mediator, title="Schools")
    client = _client(service.parties["bob"])
    case = service.case
    response = client.post(
        reverse("agenda:portal_item_new", args=[case.pk]),
        {"title": "The house", "topic": "property", "issue": "Who stays", "hopes": "To stay"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("agenda:portal_option_new", args=[case.pk, item.pk]), {"text": "Local school"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("agenda:portal_priority", args=[case.pk, item.pk]), {"priority": "5"}
    )
    assert response.status_code == 302
    assert AgendaPriority.objects.get().priority == 5
    alice = _client(service.parties["alice"])
    page = alice.get(reverse("agenda:portal", args=[case.pk])).content.decode()
    assert "The house" in page and "To stay" in page and "Local school" in page
    portal = alice.get(reverse("portal:case", args=[case.pk])).content.decode()
    assert reverse("agenda:portal", args=[case.pk]) in portal


def test_bad_portal_input_shows_errors_and_saves_nothing(service):
    item = propose(service)
    client = _client(service.parties["bob"])
    before = snapshot()
    response = client.post(reverse("agenda:portal_item_new", args=[service.case.pk]), {})
    assert response.status_code == 422
    assert "Enter a short title for the topic." in response.content.decode()
    response = client.post(
        reverse("agenda:portal_priority", args=[service.case.pk, item.pk]), {"priority": "9"}
    )
    assert response.status_code == 302
    assert snapshot() == before


def test_a_party_of_another_case_gets_404_by_page_and_by_api(service):
    item = propose(service)
    carol = service.parties["carol"]
    client = _client(carol)
    case = service.case
    api = token_client(carol)
    before = snapshot()
    for url in (
        reverse("agenda:portal", args=[case.pk]),
        reverse("agenda:portal_item_new", args=[case.pk]),
        reverse("agenda:portal_option_new", args=[case.pk, item.pk]),
        reverse("agenda:case", args=[case.pk]),
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("agenda:portal_priority", args=[case.pk, item.pk]), {"priority": "3"}
        ).status_code
        == 404
    )
    assert api.get(f"/cases/{case.pk}/agenda").status_code == 404
    response = api.post(
        f"/cases/{case.pk}/agenda/items", {"title": "x", "topic": "other", "issue": "y"}
    )
    assert response.status_code == 404
    assert (
        api.post(f"/cases/{case.pk}/agenda/items/{item.pk}/options", {"text": "z"}).status_code
        == 404
    )
    assert snapshot() == before


def test_staff_of_another_service_get_404(service, other_service):
    propose(service)
    client = _client(other_service.admin)
    assert client.get(reverse("agenda:case", args=[service.case.pk])).status_code == 404
    api = token_client(other_service.admin)
    assert api.get(f"/cases/{service.case.pk}/agenda").status_code == 404


def test_the_api_shows_parties_no_more_than_the_portal(service):
    item = propose(service)
    from accord.agenda import services

    services.agenda_priority_set(actor=service.parties["alice"], item=item, priority=4)
    services.agenda_priority_set(actor=service.parties["bob"], item=item, priority=1)
    body = session_client(service.parties["bob"]).get(f"/cases/{service.case.pk}/agenda").json()
    (out,) = body["items"]
    assert out["title"] == "Weekends" and out["my_priority"] == 1
    assert out["priorities"] is None and out["history"] is None
    staff = token_client(service.mediator).get(f"/cases/{service.case.pk}/agenda").json()
    assert sorted(p["priority"] for p in staff["items"][0]["priorities"]) == [1, 4]
    assert [h["to_status"] for h in staff["items"][0]["history"]] == ["open"]


def test_the_api_proposes_moves_and_adds_options(service):
    case = service.case
    bob = token_client(service.parties["bob"])
    response = bob.post(
        f"/cases/{case.pk}/agenda/items",
        {"title": "Money", "topic": "finances", "issue": "Sharing the savings"},
    )
    assert response.status_code == 201
    item_id = response.json()["id"]
    before = snapshot()
    refused = bob.post(
        f"/cases/{case.pk}/agenda/items/{item_id}/status", {"to_status": "exploring"}
    )
    assert refused.status_code == 403
    assert snapshot() == before
    mediator = token_client(service.mediator)
    bad = mediator.post(f"/cases/{case.pk}/agenda/items/{item_id}/options", {"text": "Split"})
    assert bad.status_code == 422 and "with_permission" in bad.json()["errors"]
    ok = mediator.post(
        f"/cases/{case.pk}/agenda/items/{item_id}/options",
        {"text": "Split", "with_permission": True},
    )
    assert ok.status_code == 201 and ok.json()["options"][0]["mediator_idea"] is True
    moved = mediator.post(
        f"/cases/{case.pk}/agenda/items/{item_id}/status", {"to_status": "exploring"}
    )
    assert moved.status_code == 200 and moved.json()["status"] == "exploring"
    priority = bob.post(f"/cases/{case.pk}/agenda/items/{item_id}/priority", {"priority": 3})
    assert priority.status_code == 200 and priority.json()["my_priority"] == 3


def _queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _busy_item(service: Any, title: str) -> None:
    from accord.agenda import services

    item = propose(service, title=title)
    services.agenda_option_add(actor=service.parties["bob"], item=item, text=f"{title} option")
    services.agenda_priority_set(actor=service.parties["alice"], item=item, priority=3)
    services.agenda_priority_set(actor=service.parties["bob"], item=item, priority=4)


def test_agenda_pages_cost_the_same_queries_however_many_items(service):
    staff, party = _client(service.mediator), _client(service.parties["alice"])
    staff_url = reverse("agenda:case", args=[service.case.pk])
    portal_url = reverse("agenda:portal", args=[service.case.pk])
    _busy_item(service, "First")
    counts = (_queries(staff, staff_url), _queries(party, portal_url))
    for title in ("Second", "Third", "Fourth"):
        _busy_item(service, title)
    assert (_queries(staff, staff_url), _queries(party, portal_url)) == counts


def test_the_mark_children_button_changes_the_item(service):
    item = propose(service, title="Schooling", topic="other")
    client = _client(service.mediator)
    url = reverse("agenda:children", args=[service.case.pk, item.pk])
    assert (
        "Mark as about the children"
        in client.get(reverse("agenda:case", args=[service.case.pk])).content.decode()
    )
    assert client.post(url, {"children": "yes"}).status_code == 302
    assert AgendaItem.objects.get(pk=item.pk).touches_children is True
    assert _client(service.supervisor).post(url, {"children": "no"}).status_code == 403
    assert AgendaItem.objects.get(pk=item.pk).touches_children is True


def test_settled_items_offer_no_option_links_and_priority_starts_unset(service):
    item = agree(service, propose(service))
    page = _client(service.parties["bob"]).get(reverse("agenda:portal", args=[service.case.pk]))
    body = page.content.decode()
    assert reverse("agenda:portal_option_new", args=[service.case.pk, item.pk]) not in body
    assert '<option value="" selected>Not set</option>' in body
    staff = _client(service.mediator).get(reverse("agenda:case", args=[service.case.pk]))
    assert (
        reverse("agenda:option_new", args=[service.case.pk, item.pk]) not in staff.content.decode()
    )


def test_the_up_button_refreshes_just_the_list_through_htmx(service):
    first = propose(service, title="First")
    second = propose(service, title="Second")
    client = _client(service.mediator)
    response = client.post(
        reverse("agenda:reorder", args=[service.case.pk, second.pk]),
        {"direction": "up"},
        headers={"HX-Request": "true", "HX-Target": "agenda-items"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert '<div id="agenda-items">' in body
    assert "<h1>" not in body and body.index("Second") < body.index("First")
    assert AgendaItem.objects.get(pk=first.pk).position == 2
