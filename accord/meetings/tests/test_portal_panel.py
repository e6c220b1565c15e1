"""Parties see their own booked MIAM on their portal page, and nothing of anyone else's."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from accord.meetings.tests.helpers import book, party, soon


def _portal_page(service, who):
    client = Client()
    client.force_login(service.parties[who])
    response = client.get(reverse("portal:case", args=[service.case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_each_party_sees_only_their_own_booked_miam(service):
    book(service, "Alice Smith", place="https://video.example/alice-room")
    book(
        service, "Bob Jones", place="Riverside office, room 2", mode="in_person", starts_at=soon(5)
    )
    alice = _portal_page(service, "alice")
    assert "Your MIAM" in alice and "https://video.example/alice-room" in alice
    assert "Riverside office, room 2" not in alice
    bob = _portal_page(service, "bob")
    assert "Riverside office, room 2" in bob and "In person" in bob
    assert "alice-room" not in bob


def test_a_joint_miam_does_not_list_the_other_attendee_and_held_ones_drop_off(service):
    from accord.meetings import services
    from accord.meetings.tests.helpers import hold

    miam = book(
        service,
        attendees=[party(service), party(service, "Bob Jones")],
        joint=True,
        place="https://video.example/joint",
    )
    page = _portal_page(service, "bob")
    panel = page.split('id="miams-heading"', 1)[1].split("</section>", 1)[0]
    assert "https://video.example/joint" in panel
    assert "Alice Smith" not in panel
    hold(miam)
    miam.refresh_from_db()
    services.miam_record_held(actor=service.mediator, miam=miam, covered=["covered_options"])
    assert 'id="miams-heading"' not in _portal_page(service, "bob")


def test_a_party_with_no_booked_miam_sees_no_panel(service):
    assert 'id="miams-heading"' not in _portal_page(service, "alice")
