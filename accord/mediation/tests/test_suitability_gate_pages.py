"""The suitability gate through the pages and the API: the two situations of the issue."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.api.tests.conftest import session_client
from accord.mediation.models import MediationSession, SuitabilityOverride
from accord.mediation.tests.test_views import _api_payload, _book_data
from accord.rooms.models import Message
from accord.rooms.tests.helpers import joint, private
from accord.testing.factories import ready_for_sessions

pytestmark = [pytest.mark.django_db, pytest.mark.no_suitability]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _room_post(service: Any, who: str, room: Any) -> Any:
    url = reverse("rooms:portal_room", args=[service.case.pk, room.pk])
    return _client(service.parties[who]).post(url, {"new-body": "Can we meet?"})


@pytest.mark.parametrize("route", ["not_suitable", "shuttle"])
def test_joint_booking_and_joint_room_refused_by_page_and_api(service: Any, route: str) -> None:
    ready_for_sessions(service.case, route=route)
    coordinator = _client(service.coordinator)
    url = reverse("mediation:book", args=[service.case.pk])
    page = coordinator.post(url, _book_data(service, format="joint")).content.decode()
    assert "not suitable" in page if route == "not_suitable" else "joint session" in page
    api = session_client(service.coordinator).post(
        f"/cases/{service.case.pk}/sessions", _api_payload(service, format="joint")
    )
    assert api.status_code in (400, 409, 422), api.content
    assert ("not suitable" if route == "not_suitable" else "joint session") in api.content.decode()
    assert not MediationSession.objects.exists()
    # A party writing in the joint room: refused through the page and the API.
    room = joint(service)
    page = _room_post(service, "alice", room).content.decode()
    assert "room-closed" in page or "not open" in page or "cannot be sent" in page
    api = session_client(service.parties["alice"]).post(
        f"/cases/{service.case.pk}/rooms/{room.pk}/messages", {"body": "Can we meet?"}
    )
    assert api.status_code == 422, api.content
    assert "suitab" not in api.content.decode().lower()
    assert not Message.objects.exists()


def test_the_booking_page_shows_the_reason_instead_of_the_form(service: Any) -> None:
    ready_for_sessions(service.case, route="not_suitable")
    coordinator = _client(service.coordinator)
    page = coordinator.get(reverse("mediation:book", args=[service.case.pk])).content.decode()
    assert "not suitable" in page and 'name="starts_at"' not in page


def test_shuttle_keeps_the_private_room_open_and_closes_the_joint_composer(service: Any) -> None:
    ready_for_sessions(service.case, route="shuttle")
    alice = _client(service.parties["alice"])
    url = reverse("rooms:portal_room", args=[service.case.pk, joint(service).pk])
    assert 'id="room-closed"' in alice.get(url).content.decode()
    assert _room_post(service, "alice", private(service, "alice")).status_code == 302
    assert Message.objects.count() == 1


def test_shuttle_session_books_through_the_api(service: Any) -> None:
    ready_for_sessions(service.case, route="shuttle")
    api = session_client(service.coordinator).post(
        f"/cases/{service.case.pk}/sessions", _api_payload(service, format="shuttle")
    )
    assert api.status_code == 201, api.content


def test_an_accredited_mediator_overrides_through_the_page(service: Any) -> None:
    ready_for_sessions(service.case, route="shuttle")
    mediator = _client(service.mediator)
    booking = mediator.get(reverse("mediation:book", args=[service.case.pk])).content.decode()
    url = reverse("mediation:override", args=[service.case.pk])
    assert url in booking and 'id="session-gate"' in booking
    assert mediator.post(url, {"reason": ""}).status_code == 422
    assert mediator.post(url, {"reason": "Both asked to meet; co-mediated."}).status_code == 302
    assert SuitabilityOverride.objects.get().made_by == service.mediator
    booked = mediator.post(
        reverse("mediation:book", args=[service.case.pk]), _book_data(service, format="joint")
    )
    assert booked.status_code == 302
    assert _client(service.mediator2).get(url).status_code in (403, 404)
