"""The session and status pages through the test client, and booking through the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.api.tests.conftest import session_client
from accord.cases.workspace import section_url
from accord.mediation import services
from accord.mediation.models import (
    MediationSession,
    MediationStatus,
    SessionAttendance,
    SessionNote,
    SessionStatus,
)
from accord.mediation.tests.helpers import ALL_RULES, at_mediation_stage, book, due, party, start
from accord.testing.journey import future

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _book_data(service: Any, **overrides: Any) -> dict[str, Any]:
    when = future(4)
    data = {
        "format": "joint",
        "starts_at": when.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "150",
        "mode": "in_person",
        "place": "Room 3, 10 High Street",
        "attendees": [str(party(service).pk), str(party(service, "Bob Jones").pk)],
        "mediators": [str(service.mediator.pk)],
    }
    data.update(overrides)
    return data


def test_the_coordinator_books_a_session_from_the_workspace(service):
    client = _client(service.coordinator)
    workspace = client.get(section_url(service.case.pk, "mediation")).content.decode()
    assert reverse("mediation:book", args=[service.case.pk]) in workspace
    response = client.post(reverse("mediation:book", args=[service.case.pk]), _book_data(service))
    assert response.status_code == 302
    session = MediationSession.objects.get()
    assert (session.duration_minutes, session.mode) == (150, "in_person")
    workspace = client.get(section_url(service.case.pk, "mediation")).content.decode()
    assert "Room 3, 10 High Street" in workspace
    assert "Sessions held" in workspace


def test_bad_booking_input_shows_field_errors_and_saves_nothing(service):
    response = _client(service.coordinator).post(
        reverse("mediation:book", args=[service.case.pk]),
        _book_data(service, duration_minutes="20", place="", starts_at="31/02/2027 10:00"),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter the place, the video link or the number to call." in html
    assert "Enter a real date and time" in html
    assert not MediationSession.objects.exists()


def test_the_booking_page_warns_who_still_has_to_sign(service, monkeypatch):
    monkeypatch.setattr(
        "accord.agreements.gate.unsigned_required", lambda case: [party(service, "Bob Jones")]
    )
    html = (
        _client(service.coordinator)
        .get(reverse("mediation:book", args=[service.case.pk]))
        .content.decode()
    )
    assert "Still to sign the Agreement to Mediate" in html
    assert "Bob Jones" in html


def test_the_mediator_runs_a_session_through_the_pages(service):
    session = due(book(service))
    client = _client(service.mediator)
    alice, bob = party(service), party(service, "Bob Jones")
    url = reverse("mediation:start", args=[service.case.pk, session.pk])
    refused = client.post(url, {"ground_rules_restated": "on", "full_rules": ALL_RULES})
    assert refused.status_code == 422
    assert "Ask whether anyone has questions" in refused.content.decode()
    started = client.post(
        url,
        {
            "ground_rules_restated": "on",
            "questions_invited": "on",
            "full_rules": ALL_RULES,
            f"account_{alice.pk}": "Alice's reasons.",
            f"account_{bob.pk}": "Bob's reasons.",
        },
    )
    assert started.status_code == 302
    args = [service.case.pk, session.pk]
    assert (
        client.post(
            reverse("mediation:attendance", args=args),
            {f"attendance_{alice.pk}": "attended", f"attendance_{bob.pk}": "late"},
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("mediation:note_add", args=args), {"kind": "shared_summary", "text": "Rota."}
        ).status_code
        == 302
    )
    assert client.post(reverse("mediation:end", args=args), {}).status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    assert SessionAttendance.objects.filter(session=session).count() == 2
    assert SessionNote.objects.get().text == "Rota."
    page = client.get(reverse("mediation:session", args=args)).content.decode()
    assert "Alice&#x27;s reasons." in page and "Arrived late" in page


def test_the_coordinator_cannot_start_a_session_by_page(service):
    session = due(book(service))
    response = _client(service.coordinator).post(
        reverse("mediation:start", args=[service.case.pk, session.pk]),
        {"ground_rules_restated": "on", "questions_invited": "on", "full_rules": ALL_RULES},
    )
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.status == SessionStatus.BOOKED


def test_pause_end_and_reopen_through_the_pages(service):
    case = at_mediation_stage(service.case)
    client = _client(service.mediator)
    assert (
        client.post(reverse("mediation:pause", args=[case.pk]), {"reason": "A break."}).status_code
        == 302
    )
    assert MediationStatus.objects.get().state == "paused"
    missing = client.post(reverse("mediation:mediation_end", args=[case.pk]), {"note": "x"})
    assert missing.status_code == 422
    assert (
        client.post(
            reverse("mediation:mediation_end", args=[case.pk]),
            {"reason": "agreement", "note": "Plan agreed."},
        ).status_code
        == 302
    )
    case.refresh_from_db()
    assert (MediationStatus.objects.get().end_reason, case.stage) == ("agreement", "outcome")
    html = client.get(section_url(case.pk, "mediation")).content.decode()
    assert "Partial agreement" not in html and "0 working days" in html
    assert (
        client.post(
            reverse("mediation:reopen", args=[case.pk]), {"reason": "More to discuss."}
        ).status_code
        == 302
    )
    case.refresh_from_db()
    assert (MediationStatus.objects.get().state, case.stage) == ("active", "mediation")


def test_the_coordinator_cannot_pause_the_mediation(service):
    response = _client(service.coordinator).post(
        reverse("mediation:pause", args=[service.case.pk]), {"reason": "No."}
    )
    assert response.status_code == 403
    assert not MediationStatus.objects.exists()


def _api_payload(service: Any, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": "shuttle",
        "starts_at": future(5).isoformat(),
        "duration_minutes": 180,
        "mode": "video",
        "place": "https://video.example/room-9",
        "attendee_ids": [party(service).pk, party(service, "Bob Jones").pk],
        "mediator_ids": [service.mediator.pk],
    }
    data.update(overrides)
    return data


def test_the_api_books_a_session_for_staff_who_may_change_the_case(service):
    path = f"/cases/{service.case.pk}/sessions"
    response = session_client(service.coordinator).post(path, _api_payload(service))
    assert response.status_code == 201, response.content
    assert response.json()["format"] == "shuttle"
    assert MediationSession.objects.get().duration_minutes == 180


def test_the_api_refuses_bad_or_unauthorised_bookings_and_saves_nothing(service):
    path = f"/cases/{service.case.pk}/sessions"
    bad = session_client(service.coordinator).post(path, _api_payload(service, duration_minutes=5))
    assert bad.status_code == 422
    assert "duration_minutes" in bad.json()["errors"]
    carol_case = service.cases["civil"].participants.get()
    other = session_client(service.coordinator).post(
        path, _api_payload(service, attendee_ids=[carol_case.pk])
    )
    assert other.status_code == 422
    assert (
        session_client(service.parties["bob"]).post(path, _api_payload(service)).status_code == 404
    )
    looker = session_client(service.safeguarding_lead).post(path, _api_payload(service))
    assert looker.status_code == 403
    assert not MediationSession.objects.exists()


def test_a_second_session_page_asks_for_no_opening_accounts(service):
    first = start(service, book(service))
    first.refresh_from_db()
    second = due(book(service))
    html = (
        _client(service.mediator)
        .get(reverse("mediation:start", args=[service.case.pk, second.pk]))
        .content.decode()
    )
    assert "Opening account of" not in html


def _panel_queries(template: str, user: Any, case: Any) -> int:
    from django.db import connection
    from django.template import Context, Template
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    request = RequestFactory().get("/")
    request.user = user
    panel = Template(f'{{% include "{template}" %}}')
    panel.render(Context({"case": case, "request": request}))  # warm per-user caches
    with CaptureQueriesContext(connection) as captured:
        panel.render(Context({"case": case, "request": request}))
    return len(captured.captured_queries)


def test_the_panels_cost_the_same_however_many_sessions_there_are(service):
    book(service)
    services.mediation_pause(actor=service.mediator, case=service.case, reason="Break.")
    staff_few = _panel_queries("mediation/_case_panel.html", service.mediator, service.case)
    party_few = _panel_queries("mediation/_portal_panel.html", service.parties["bob"], service.case)
    for _ in range(4):
        book(service)
    services.mediation_reopen(actor=service.mediator, case=service.case, reason="Back.")
    staff_many = _panel_queries("mediation/_case_panel.html", service.mediator, service.case)
    party_many = _panel_queries(
        "mediation/_portal_panel.html", service.parties["bob"], service.case
    )
    assert staff_many == staff_few
    assert party_many == party_few
    assert staff_many <= 8 and party_many <= 4


def test_cancelling_through_the_page_and_a_booked_session_page(service):
    session = book(service)
    early = _client(service.coordinator).post(
        reverse("mediation:cancel", args=[service.case.pk, session.pk]),
        {"reason": "Bob did not come.", "did_not_attend": "on"},
    )
    assert early.status_code == 422
    assert "only once it was due to start" in early.content.decode()
    session = due(session)
    client = _client(service.coordinator)
    args = [service.case.pk, session.pk]
    page = client.get(reverse("mediation:session", args=args))
    assert page.status_code == 200
    assert "No notes you can read yet." in page.content.decode()
    assert client.post(reverse("mediation:cancel", args=args), {"reason": ""}).status_code == 422
    session.refresh_from_db()
    assert session.status == SessionStatus.BOOKED
    response = client.post(
        reverse("mediation:cancel", args=args),
        {"reason": "Bob did not come.", "did_not_attend": "on"},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.DID_NOT_ATTEND


def test_the_api_answers_409_while_the_case_is_paused_for_safeguarding(service):
    from accord.cases.models import Case

    Case.objects.filter(pk=service.case.pk).update(is_paused=True)
    response = session_client(service.coordinator).post(
        f"/cases/{service.case.pk}/sessions", _api_payload(service)
    )
    assert response.status_code == 409
    assert "paused for safeguarding" in response.json()["detail"]
    assert not MediationSession.objects.exists()


def test_every_form_page_shows_to_the_mediator(service):
    session = start(service, book(service))
    client = _client(service.mediator)
    case_pk = service.case.pk
    for name in ("attendance", "note_add", "end"):
        response = client.get(reverse(f"mediation:{name}", args=[case_pk, session.pk]))
        assert response.status_code == 200, name
    for name in ("pause", "mediation_end"):
        response = client.get(reverse(f"mediation:{name}", args=[case_pk]))
        assert response.status_code == 200, name
    services.mediation_pause(actor=service.mediator, case=service.case, reason="Break.")
    assert client.get(reverse("mediation:reopen", args=[case_pk])).status_code == 200
    workspace = client.get(section_url(case_pk, "mediation")).content.decode()
    assert "Reopen the mediation" in workspace and "Pauses, endings and reopenings" in workspace
