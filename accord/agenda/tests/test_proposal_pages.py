"""Proposals through the pages and the API: portal answers, relays, refusals, confidentiality."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.agenda import proposals
from accord.agenda.models import AgendaProposal, AgendaStatus
from accord.agenda.tests.helpers import agree, party, propose, snapshot
from accord.api.tests.conftest import token_client
from accord.cases.progress import party_actions
from accord.testing.factories import ready_for_sessions

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_parties_propose_counter_and_accept_in_the_portal(service):
    item = propose(service)
    case = service.case
    alice, bob = _client(service.parties["alice"]), _client(service.parties["bob"])
    response = alice.post(
        reverse("agenda:portal_proposal_new", args=[case.pk, item.pk]), {"text": "Every weekend."}
    )
    assert response.status_code == 302
    first = AgendaProposal.objects.get()
    assert "Respond to a proposal" in " ".join(
        a.text for a in party_actions(case, party(service, "Bob Jones"))
    )
    page = bob.get(reverse("agenda:portal", args=[case.pk])).content.decode()
    assert "Every weekend." in page and "Respond to this proposal" in page
    url = reverse("agenda:portal_proposal_answer", args=[case.pk, first.pk])
    refused = bob.post(url, {"answer": "counter", "counter_text": ""})
    assert refused.status_code == 422
    assert "Write your counter-proposal." in refused.content.decode()
    assert AgendaProposal.objects.count() == 1
    bob.post(url, {"answer": "counter", "counter_text": "Alternate weekends."})
    counter = AgendaProposal.objects.get(counter_to=first)
    alice.post(
        reverse("agenda:portal_proposal_answer", args=[case.pk, counter.pk]), {"answer": "accept"}
    )
    item.refresh_from_db()
    assert item.status == AgendaStatus.AGREED and item.agreed_wording == "Alternate weekends."
    staff_page = _client(service.mediator).get(reverse("agenda:case", args=[case.pk]))
    assert "Alternate weekends." in staff_page.content.decode()


def test_a_proposal_on_an_agreed_item_is_refused_on_the_page(service):
    item = agree(service, propose(service))
    before = snapshot()
    response = _client(service.parties["bob"]).post(
        reverse("agenda:portal_proposal_new", args=[service.case.pk, item.pk]), {"text": "No."}
    )
    assert response.status_code == 422
    assert "already agreed" in response.content.decode()
    assert snapshot() == before


def test_the_mediator_relays_in_shuttle_and_the_other_page_shows_only_the_relayed_words(service):
    ready_for_sessions(service.case, route="shuttle")
    item = propose(service)
    offer = proposals.agenda_proposal_make(
        actor=service.parties["alice"], item=item, text="ALICE-ORIGINAL"
    )
    bob = _client(service.parties["bob"])
    portal = reverse("agenda:portal", args=[service.case.pk])
    assert "ALICE-ORIGINAL" not in bob.get(portal).content.decode()
    answer_url = reverse("agenda:portal_proposal_answer", args=[service.case.pk, offer.pk])
    assert bob.get(answer_url).status_code == 404
    mediator = _client(service.mediator)
    relay = reverse("agenda:proposal_relay", args=[service.case.pk, offer.pk])
    assert mediator.post(relay, {"text": ""}).status_code == 422
    assert mediator.post(relay, {"text": "RELAYED-WORDS"}).status_code == 302
    page = bob.get(portal).content.decode()
    assert "RELAYED-WORDS" in page and "ALICE-ORIGINAL" not in page
    assert _client(service.parties["alice"]).post(relay, {"text": "x"}).status_code in (302, 404)
    offer.refresh_from_db()
    assert offer.relayed_text == "RELAYED-WORDS"


def test_the_mediator_puts_a_proposal_for_a_party_on_the_staff_page(service):
    item = propose(service)
    url = reverse("agenda:proposal_new", args=[service.case.pk, item.pk])
    alice = party(service)
    client = _client(service.mediator)
    refused = client.post(url, {"on_behalf_of": alice.pk, "text": "Idea."})
    assert refused.status_code == 422 and not AgendaProposal.objects.exists()
    ok = client.post(url, {"on_behalf_of": alice.pk, "text": "Idea.", "with_permission": "on"})
    assert ok.status_code == 302
    assert AgendaProposal.objects.get().party == alice


def test_the_api_makes_answers_and_hides_unrelayed_shuttle_words(service):
    ready_for_sessions(service.case, route="shuttle")
    item = propose(service)
    case_id = service.case.pk
    alice_api, bob_api = (
        token_client(service.parties["alice"]),
        token_client(service.parties["bob"]),
    )
    made = alice_api.post(f"/cases/{case_id}/agenda/items/{item.pk}/proposals", {"text": "SECRET"})
    assert made.status_code == 201
    pid = made.json()["id"]
    assert "SECRET" not in str(bob_api.get(f"/cases/{case_id}/agenda/proposals").json())
    hidden = bob_api.post(f"/cases/{case_id}/agenda/proposals/{pid}/answer", {"answer": "accept"})
    assert hidden.status_code == 404
    mediator = token_client(service.mediator)
    relayed = mediator.post(f"/cases/{case_id}/agenda/proposals/{pid}/relay", {"text": "Shared."})
    assert relayed.status_code == 200 and relayed.json()["relayed"] is True
    listed = bob_api.get(f"/cases/{case_id}/agenda/proposals").json()
    assert [p["text"] for p in listed] == ["Shared."] and listed[0]["can_answer"] is True
    answered = bob_api.post(f"/cases/{case_id}/agenda/proposals/{pid}/answer", {"answer": "accept"})
    assert answered.status_code == 200 and answered.json()["accepted"] is True
    again = alice_api.post(f"/cases/{case_id}/agenda/items/{item.pk}/proposals", {"text": "More"})
    assert again.status_code == 422
    assert "already agreed" in str(again.json())
