"""MIAM writes through the API: booking, recording held, screening and suitability follow the
same services and rules as the pages; screening stays with its restricted audience."""

from __future__ import annotations

from typing import Any

import pytest

from accord.api.tests.conftest import token_client
from accord.meetings.models import Miam, Screening, SuitabilityDecision
from accord.meetings.tests.helpers import book, hold, party
from accord.testing.journey import future

pytestmark = pytest.mark.django_db


def _booking(service: Any, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "attendee_ids": [party(service).pk],
        "mediator_id": service.mediator.pk,
        "starts_at": future(4).isoformat(),
        "mode": "video",
        "place": "https://video.example/room-9",
    }
    body.update(overrides)
    return body


def test_the_case_team_books_a_miam_and_records_it_held(service):
    api = token_client(service.coordinator)
    answer = api.post(f"/cases/{service.case.pk}/miams", _booking(service))
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["status"] == "booked"
    assert body["attendees"] == [{"participant_id": party(service).pk, "name": "Alice Smith"}]
    miam = Miam.objects.get(pk=body["id"])
    hold(miam)
    held = token_client(service.mediator).post(
        f"/cases/{service.case.pk}/miams/{miam.pk}/held", {"covered": ["covered_options"]}
    )
    assert held.status_code == 200, held.json()
    assert held.json()["status"] == "held"


def test_a_booking_with_bad_people_or_in_the_past_is_refused_and_nothing_saved(service):
    api = token_client(service.coordinator)
    stranger = api.post(
        f"/cases/{service.case.pk}/miams",
        _booking(service, attendee_ids=[999_999], mediator_id=service.coordinator.pk),
    )
    assert stranger.status_code == 422
    errors = stranger.json()["errors"]
    assert "attendee_ids" in errors and "mediator_id" in errors
    past = api.post(
        f"/cases/{service.case.pk}/miams",
        _booking(service, starts_at="2020-01-06T10:00:00+00:00"),
    )
    assert past.status_code == 422
    assert not Miam.objects.exists()


def test_a_party_cannot_book_a_miam(service):
    answer = token_client(service.parties["alice"]).post(
        f"/cases/{service.case.pk}/miams", _booking(service)
    )
    assert answer.status_code == 404
    assert not Miam.objects.exists()


def test_screening_is_written_only_by_its_restricted_audience(service):
    miam = book(service)
    path = f"/cases/{service.case.pk}/miams/{miam.pk}/screenings/{party(service).pk}"
    body = {"answers": {"physical_abuse": "yes", "physical_abuse_notes": "SECRET-API-NOTE"}}
    for outsider in (service.coordinator, service.parties["alice"]):
        assert token_client(outsider).put(path, body).status_code == 404
    assert not Screening.objects.exists()
    answer = token_client(service.mediator).put(path, body)
    assert answer.status_code == 200, answer.json()
    answers = {a["question"]: a for a in answer.json()["answers"]}
    assert answers["physical_abuse"]["answer"] == "yes"
    assert answers["physical_abuse"]["notes"] == "SECRET-API-NOTE"
    bad = token_client(service.mediator).put(path, {"answers": {"physical_abuse": "perhaps"}})
    assert bad.status_code == 422 and "physical_abuse" in bad.json()["errors"]
    assert Screening.objects.get().physical_abuse == "yes"


def test_only_the_case_mediator_records_the_suitability_decision(service):
    path = f"/cases/{service.case.pk}/suitability"
    body = {"route": "shuttle", "reasons": "Both prefer separate rooms."}
    assert token_client(service.coordinator).post(path, body).status_code == 403
    assert token_client(service.parties["alice"]).post(path, body).status_code == 404
    assert not SuitabilityDecision.objects.exists()
    missing = token_client(service.mediator).post(path, {"route": "not_suitable", "reasons": "x"})
    assert missing.status_code == 422 and "signposting" in missing.json()["errors"]
    answer = token_client(service.mediator).post(path, body)
    assert answer.status_code == 200, answer.json()
    assert answer.json()["decision"]["route"] == "shuttle"
