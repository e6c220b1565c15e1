"""The MIAM pages through the test client: booking, recording, the workspace panel, 404s."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.cases.workspace import section_url
from accord.meetings.models import Miam, MiamStatus
from accord.meetings.tests.helpers import book, hold, party
from accord.testing.journey import future

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _book_data(service: Any, **overrides: Any) -> dict[str, Any]:
    start = future(2)
    data = {
        "attendees": [str(party(service).pk)],
        "mediator": str(service.mediator.pk),
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "45",
        "mode": "in_person",
        "place": "Room 2, 10 High Street",
    }
    data.update(overrides)
    return data


def test_the_coordinator_books_a_miam_from_the_workspace(service):
    client = _client(service.coordinator)
    url = reverse("meetings:book", args=[service.case.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _book_data(service))
    assert response.status_code == 302
    miam = Miam.objects.get()
    assert miam.place == "Room 2, 10 High Street"
    page = client.get(section_url(service.case.pk, "preparation")).content.decode()
    assert "Room 2, 10 High Street" in page
    assert "Record that this MIAM was held" in page


def test_a_bad_booking_shows_the_errors_with_422_and_saves_nothing(service):
    client = _client(service.coordinator)
    url = reverse("meetings:book", args=[service.case.pk])
    both = [str(party(service).pk), str(party(service, "Bob Jones").pk)]
    response = client.post(url, _book_data(service, attendees=both, place=""))
    assert response.status_code == 422
    body = response.content.decode()
    assert "Enter the place, the video link or the number to call." in body
    response = client.post(url, _book_data(service, attendees=both))
    assert response.status_code == 422
    assert "Joint MIAM" in response.content.decode()
    past = timezone.localtime(timezone.now() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, _book_data(service, starts_at=past))
    assert response.status_code == 422
    assert "The MIAM must start in the future." in response.content.decode()
    assert not Miam.objects.exists()


def test_recording_held_through_the_page(service):
    miam = book(service)
    hold(miam)
    client = _client(service.mediator)
    url = reverse("meetings:held", args=[service.case.pk, miam.pk])
    response = client.post(url, {"covered": ["covered_options", "covered_suitability"]})
    assert response.status_code == 302
    miam.refresh_from_db()
    assert miam.status == MiamStatus.HELD
    assert miam.covered_suitability and not miam.covered_costs


def test_parties_and_other_services_get_404_on_the_miam_pages(service, other_service):
    miam = book(service)
    urls = [
        reverse("meetings:book", args=[service.case.pk]),
        reverse("meetings:held", args=[service.case.pk, miam.pk]),
    ]
    for user in (service.parties["bob"], other_service.coordinator, other_service.mediator):
        client = _client(user)
        for url in urls:
            assert client.get(url).status_code == 404
            assert client.post(url, {}).status_code == 404


def test_a_miam_of_another_case_answers_404_under_this_case(service):
    miam = book(service)
    client = _client(service.coordinator)
    url = reverse("meetings:held", args=[service.cases["civil"].pk, miam.pk])
    assert client.get(url).status_code == 404


def test_the_supervisor_sees_miams_but_may_not_book(service):
    book(service)
    client = _client(service.supervisor)
    page = client.get(section_url(service.case.pk, "preparation")).content.decode()
    assert "https://video.example/room-1" in page
    assert "Book a MIAM" not in page
    assert client.get(reverse("meetings:book", args=[service.case.pk])).status_code == 403
