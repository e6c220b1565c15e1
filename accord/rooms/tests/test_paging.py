"""Rooms page their messages: the newest page first, earlier pages on request (a keyset cursor),
by page (with and without htmx) and by API; the cost of opening a room does not grow with it."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.rooms import selectors, services
from accord.rooms.tests.helpers import joint, private, signed_in


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(selectors, "ROOM_PAGE_SIZE", 3)
    return 3


def _room_url(service, room, area="portal"):
    return reverse(f"rooms:{area}_room", args=[service.case.pk, room.pk])


def _post(service, room, count, who="alice", prefix="Note"):
    return [
        services.message_post(actor=service.parties[who], room=room, body=f"{prefix} {n}")
        for n in range(1, count + 1)
    ]


def _bodies(html: str) -> list[str]:
    return re.findall(r"<p>(Note \d+|Secret \d+)</p>", html)


def test_the_room_opens_on_its_newest_messages_and_pages_back_with_htmx(service, small_pages):
    room = joint(service)
    posted = _post(service, room, 7)
    client = signed_in(service.parties["bob"])
    html = client.get(_room_url(service, room)).content.decode()
    assert _bodies(html) == ["Note 5", "Note 6", "Note 7"]
    assert f"?before={posted[4].pk}" in html and "Show earlier messages" in html

    earlier = client.get(
        _room_url(service, room), {"before": posted[4].pk}, headers={"HX-Request": "true"}
    )
    html = earlier.content.decode()
    assert earlier.status_code == 200 and "<h1>" not in html
    assert 'hx-swap-oob="afterbegin:#messages"' in html
    assert _bodies(html) == ["Note 2", "Note 3", "Note 4"]
    assert f"?before={posted[1].pk}" in html

    last = client.get(
        _room_url(service, room), {"before": posted[1].pk}, headers={"HX-Request": "true"}
    ).content.decode()
    assert _bodies(last) == ["Note 1"]
    assert "Show earlier messages" not in last


def test_without_javascript_an_earlier_page_is_a_whole_page(service, small_pages):
    room = joint(service)
    posted = _post(service, room, 5)
    response = signed_in(service.parties["bob"]).get(
        _room_url(service, room), {"before": posted[3].pk}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<h1>" in html
    assert _bodies(html) == ["Note 1", "Note 2", "Note 3"]
    assert "Show earlier messages" not in html


@pytest.mark.parametrize("cursor", ["abc", "-4", "1e9", "99999999999999999999999"])
def test_a_bad_cursor_shows_the_newest_page(service, small_pages, cursor):
    room = joint(service)
    _post(service, room, 4)
    response = signed_in(service.parties["bob"]).get(_room_url(service, room), {"before": cursor})
    assert response.status_code == 200
    assert _bodies(response.content.decode()) == ["Note 2", "Note 3", "Note 4"]


def test_earlier_pages_never_show_another_partys_private_room(service, small_pages):
    _post(service, private(service, "alice"), 4, prefix="Secret")
    room = joint(service)
    posted = _post(service, room, 4)
    client = signed_in(service.parties["bob"])
    for before in (posted[1].pk, posted[0].pk, posted[-1].pk + 100):
        html = client.get(
            _room_url(service, room), {"before": before}, headers={"HX-Request": "true"}
        ).content.decode()
        assert "Secret" not in html


def test_reading_an_earlier_page_does_not_move_the_reading_position(service, small_pages):
    from accord.rooms.models import RoomRead

    room = joint(service)
    posted = _post(service, room, 5)
    client = signed_in(service.parties["bob"])
    client.get(_room_url(service, room), {"before": posted[3].pk})
    assert not RoomRead.objects.filter(room=room, user=service.parties["bob"]).exists()
    client.get(_room_url(service, room))
    read = RoomRead.objects.get(room=room, user=service.parties["bob"])
    assert read.last_read_id == posted[-1].pk


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("who", ["mediator", "bob"])
def test_opening_a_room_of_many_pages_costs_no_more_queries_than_a_room_of_three(service, who):
    room = joint(service)
    _post(service, room, 3)
    user = service.mediator if who == "mediator" else service.parties["bob"]
    client = signed_in(user)
    url = _room_url(service, room, area="staff" if who == "mediator" else "portal")
    baseline = _queries(client, url)
    _post(service, room, selectors.ROOM_PAGE_SIZE + 10, prefix="More")
    assert _queries(client, url) <= baseline
    html = client.get(url).content.decode()
    assert html.count('class="card" id="message-') == selectors.ROOM_PAGE_SIZE


def test_the_api_pages_back_with_a_before_cursor(service):
    from accord.rooms.tests.test_api import Api

    room = joint(service)
    posted = _post(service, room, 5)
    api = Api(service.parties["bob"])
    path = f"/cases/{service.case.pk}/rooms/{room.pk}/messages"
    newest = api.get(path, limit=2).json()
    assert [m["id"] for m in newest] == [posted[3].pk, posted[4].pk]
    earlier = api.get(path, limit=2, before=newest[0]["id"]).json()
    assert [m["id"] for m in earlier] == [posted[1].pk, posted[2].pk]
    first = api.get(path, limit=2, before=earlier[0]["id"]).json()
    assert [m["id"] for m in first] == [posted[0].pk]
    assert api.get(path, limit=2, before=posted[0].pk).json() == []
    # Polling walks forward from the oldest newer message, without gaps.
    assert [m["id"] for m in api.get(path, limit=2, after=posted[0].pk).json()] == [
        posted[1].pk,
        posted[2].pk,
    ]
    for bad in ({"limit": 0}, {"limit": 201}, {"before": -1}, {"before": "x"}):
        assert api.get(path, **bad).status_code == 422, bad
