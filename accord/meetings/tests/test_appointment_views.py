"""Move, cancel, did-not-attend and record-past pages; booking warnings on the form; the calendar
file for staff and the party; the diary."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accord.meetings.models import Miam, MiamStatus
from accord.meetings.tests.helpers import book, party
from accord.testing.journey import future

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _christmas() -> dt.datetime:
    return timezone.make_aware(dt.datetime(timezone.localdate().year + 1, 12, 25, 10))


def test_the_booking_form_shows_warnings_and_saves_only_when_confirmed(service):
    client = _client(service.coordinator)
    url = reverse("meetings:book", args=[service.case.pk])
    data = {
        "attendees": [str(party(service).pk)],
        "mediator": str(service.mediator.pk),
        "starts_at": _christmas().strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "45",
        "mode": "video",
        "place": "https://video.example/x",
    }
    response = client.post(url, data)
    assert response.status_code == 422
    assert "is a bank holiday: Christmas Day" in response.content.decode()
    assert not Miam.objects.exists()
    response = client.post(url, {**data, "confirm_warnings": "on"})
    assert response.status_code == 302
    assert Miam.objects.count() == 1


def test_booking_someone_off_the_team_is_refused_with_an_offer_then_added(service):
    client = _client(service.coordinator)
    url = reverse("meetings:book", args=[service.case.pk])
    data = {
        "attendees": [str(party(service).pk)],
        "mediator": str(service.mediator2.pk),
        "starts_at": future(3).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "45",
        "mode": "phone",
        "place": "07700 900123",
    }
    response = client.post(url, data)
    assert response.status_code == 422
    assert "Add them to the case team" in response.content.decode()
    assert client.post(url, {**data, "add_to_team": "on"}).status_code == 302
    # The added mediator can open the case (no 404 for them).
    miam = Miam.objects.get()
    page = _client(service.mediator2).get(reverse("cases:detail", args=[service.case.pk]))
    assert page.status_code == 200
    assert miam.mediator == service.mediator2


def test_moving_from_the_page_shows_the_new_time_in_the_portal_as_moved(service):
    miam = book(service, starts_at=future(4))
    new = future(8, 15)
    response = _client(service.coordinator).post(
        reverse("meetings:move", args=[service.case.pk, miam.pk]),
        {
            "starts_at": new.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "45",
            "mode": "video",
            "place": "https://video.example/new",
        },
    )
    assert response.status_code == 302
    alice = _client(service.parties["alice"])
    page = alice.get(reverse("portal:case", args=[service.case.pk])).content.decode()
    assert "Moved" in page
    assert f'datetime="{timezone.localtime(new).isoformat()}"' in page
    assert '<a href="https://video.example/new"' in page
    ics = alice.get(reverse("meetings:calendar", args=[service.case.pk, miam.pk]))
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    event = next(iter(Calendar.from_ical(ics.content).walk("VEVENT")))
    assert int(str(event["SEQUENCE"])) == 1
    assert event.decoded("DTSTART") == new


def test_the_other_party_cannot_download_someone_elses_miam_calendar(service):
    miam = book(service)
    bob = _client(service.parties["bob"])
    assert bob.get(reverse("meetings:calendar", args=[service.case.pk, miam.pk])).status_code == 404


def test_cancelling_from_the_page_needs_a_reason_and_the_portal_says_cancelled(service):
    miam = book(service)
    client = _client(service.coordinator)
    url = reverse("meetings:cancel", args=[service.case.pk, miam.pk])
    assert client.post(url, {"reason": ""}).status_code == 422
    assert Miam.objects.get().status == MiamStatus.BOOKED
    assert client.post(url, {"reason": "Mediator unwell"}).status_code == 302
    page = _client(service.parties["alice"]).get(reverse("portal:case", args=[service.case.pk]))
    text = page.content.decode()
    assert "Cancelled" in text and "Mediator unwell" not in text
    staff = client.get(reverse("cases:detail", args=[service.case.pk]) + "?section=preparation")
    assert "Mediator unwell" in staff.content.decode()


def test_did_not_attend_and_record_past_pages(service):
    miam = book(service)
    Miam.objects.filter(pk=miam.pk).update(starts_at=timezone.now() - dt.timedelta(hours=2))
    client = _client(service.coordinator)
    response = client.post(
        reverse("meetings:did_not_attend", args=[service.case.pk, miam.pk]),
        {"absent": [str(party(service).pk)]},
    )
    assert response.status_code == 302
    assert Miam.objects.get().status == MiamStatus.DID_NOT_ATTEND
    url = reverse("meetings:record_past", args=[service.case.pk])
    data = {
        "attendees": [str(party(service).pk)],
        "mediator": str(service.mediator.pk),
        "starts_at": future(2).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "45",
        "mode": "in_person",
        "place": "Room 1",
        "covered": ["covered_options"],
    }
    response = client.post(url, data)
    assert response.status_code == 422
    assert "must have started in the past" in response.content.decode()
    past = timezone.localtime(timezone.now() - dt.timedelta(days=2))
    assert (
        client.post(url, {**data, "starts_at": past.strftime("%Y-%m-%dT%H:%M")}).status_code == 302
    )
    assert Miam.objects.filter(status=MiamStatus.HELD, recorded_after=True).count() == 1


def test_the_diary_shows_the_service_and_each_mediator_by_week_and_day(service):
    at = future(3)
    book(service, starts_at=at)
    client = _client(service.coordinator)
    page = client.get(reverse("diary"), {"date": at.date().isoformat()}).content.decode()
    assert service.case.reference in page and "MIAM" in page
    assert "Previous week" in page and "Today" in page
    other = client.get(
        reverse("diary"),
        {"date": at.date().isoformat(), "mediator": service.mediator2.pk, "view": "day"},
    ).content.decode()
    assert service.case.reference not in other and "Previous day" in other
    bad = client.get(reverse("diary"), {"date": "2027-02-31"})
    assert bad.status_code == 200 and "not a real date" in bad.content.decode()
    assert _client(service.parties["alice"]).get(reverse("diary")).status_code == 404
