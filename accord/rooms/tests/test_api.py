"""The rooms API for each role: the same rules as the pages, 404 for what is not yours."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accord.accounts.services import api_token_create
from accord.rooms import services
from accord.rooms.models import Message
from accord.rooms.tests.helpers import joint, private, signed_in

pytestmark = pytest.mark.django_db

API = "/api/v1"


class Api:
    """JSON to the API as one person, by session or by personal token."""

    def __init__(self, user: Any, *, token: bool = False) -> None:
        if token:
            from django.test import Client

            from accord.cases.models import Participant
            from accord.organisations.models import Organisation

            # Parties may make tokens only where their service turned that on.
            party_services = Participant.objects.filter(user=user).values("organisation_id")
            Organisation.objects.filter(pk__in=party_services).update(party_api_tokens=True)
            _, secret = api_token_create(user=user, name="Tests")
            self.client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        else:
            self.client = signed_in(user)

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(API + path, params)

    def post(self, path: str, data: Any = None) -> Any:
        return self.client.post(API + path, json.dumps(data), content_type="application/json")

    def patch(self, path: str, data: Any = None) -> Any:
        return self.client.patch(API + path, json.dumps(data), content_type="application/json")


def _rooms(service):
    return f"/cases/{service.case.pk}/rooms"


def _messages(service, room):
    return f"{_rooms(service)}/{room.pk}/messages"


def test_each_role_lists_only_the_rooms_it_may_use(service):
    assert {r["kind"] for r in Api(service.mediator).get(_rooms(service)).json()} == {
        "joint",
        "private",
    }
    assert len(Api(service.mediator).get(_rooms(service)).json()) == 3
    alice = Api(service.parties["alice"], token=True).get(_rooms(service)).json()
    assert {r["id"] for r in alice} == {joint(service).pk, private(service, "alice").pk}
    assert {r["title"] for r in alice} == {"Joint room", "Your private room"}
    for user in (service.coordinator, service.supervisor, service.admin):
        assert Api(user).get(_rooms(service)).json() == []
    assert Api(service.parties["carol"]).get(_rooms(service)).status_code == 404


def test_the_other_party_gets_404_for_a_private_room_by_api(service):
    room = private(service, "alice")
    message = services.message_post(actor=service.parties["alice"], room=room, body="Secret")
    bob = Api(service.parties["bob"], token=True)
    for response in (
        bob.get(_messages(service, room)),
        bob.post(_messages(service, room), {"body": "Intrude"}),
        bob.patch(f"{_messages(service, room)}/{message.pk}", {"body": "Changed"}),
        bob.post(f"{_messages(service, room)}/{message.pk}/withdraw"),
        bob.post(
            f"{_messages(service, room)}/{message.pk}/relay",
            {"to_room_id": private(service, "bob").pk, "mode": "verbatim"},
        ),
    ):
        assert response.status_code == 404
        assert "Secret" not in response.content.decode()
    message.refresh_from_db()
    assert (message.body, message.withdrawn_at) == ("Secret", None)
    assert Message.objects.count() == 1
    for user in (service.coordinator, service.supervisor):
        assert Api(user).get(_messages(service, room)).status_code == 404


def test_a_party_posts_edits_and_withdraws_by_api(service):
    alice = Api(service.parties["alice"], token=True)
    room = private(service, "alice")
    response = alice.post(_messages(service, room), {"body": "Hello", "not_to_be_passed_on": True})
    assert response.status_code == 201
    created = response.json()
    assert (created["body"], created["author"], created["not_to_be_passed_on"]) == (
        "Hello",
        "You",
        True,
    )
    assert created["relay"] is None and created["earlier_wordings"] == []
    path = f"{_messages(service, room)}/{created['id']}"
    assert alice.patch(path, {"body": "Hello again"}).json()["body"] == "Hello again"
    assert alice.post(path + "/withdraw").json()["withdrawn"] is True
    response = alice.post(_messages(service, room), {"body": "x" * 5001})
    assert response.status_code == 422
    assert "5,000 characters" in response.json()["errors"]["body"][0]
    assert Message.objects.count() == 1


def test_the_mediator_relays_by_api_and_the_receiver_sees_nothing_of_the_source(service):
    source = private(service, "alice")
    original = services.message_post(
        actor=service.parties["alice"],
        room=source,
        body="Alice's own words",
        attachment=SimpleUploadedFile("note.txt", b"A private note", content_type="text/plain"),
    )
    mediator = Api(service.mediator)
    response = mediator.post(
        f"{_messages(service, source)}/{original.pk}/relay",
        {"to_room_id": private(service, "bob").pk, "mode": "verbatim"},
    )
    assert response.status_code == 201
    assert response.json()["relay"]["from_message_id"] == original.pk
    [seen] = Api(service.parties["bob"]).get(_messages(service, private(service, "bob"))).json()
    assert seen["body"] == "Alice's own words"
    assert (seen["author"], seen["from_mediator"], seen["is_relay"]) == ("The mediator", True, True)
    assert seen["relay"] is None
    assert seen["attachments"] == []
    assert "Alice Smith" not in json.dumps(seen)
    # A party cannot relay, even from their own private room.
    response = Api(service.parties["alice"]).post(
        f"{_messages(service, source)}/{original.pk}/relay",
        {"to_room_id": joint(service).pk, "mode": "verbatim"},
    )
    assert response.status_code == 403
    assert Message.objects.count() == 2


def test_a_refused_relay_answers_422_and_writes_nothing(service):
    source = private(service, "alice")
    original = services.message_post(
        actor=service.parties["alice"], room=source, body="Keep it", not_to_be_passed_on=True
    )
    response = Api(service.mediator).post(
        f"{_messages(service, source)}/{original.pk}/relay",
        {"to_room_id": joint(service).pk, "mode": "verbatim"},
    )
    assert response.status_code == 422
    assert "not to be passed on" in response.json()["errors"]["__all__"][0]
    assert Message.objects.count() == 1


def test_polling_after_an_id_by_api(service):
    first = services.message_post(actor=service.mediator, room=joint(service), body="One")
    services.message_post(actor=service.mediator, room=joint(service), body="Two")
    bob = Api(service.parties["bob"])
    texts = [m["body"] for m in bob.get(_messages(service, joint(service)), after=first.pk).json()]
    assert texts == ["Two"]
    assert bob.get(_messages(service, joint(service)), after=-1).status_code == 422
