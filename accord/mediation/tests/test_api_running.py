"""Running sessions and the mediation's status through the API: the session's mediator starts a
session, records attendance, ends it and writes notes, and the case's mediator pauses, ends and
reopens the mediation, all through the services the pages call. A private note never reaches a
party; parties and staff off the case get 404; bad input is a 422 with nothing saved."""

from __future__ import annotations

from typing import Any

import pytest

from accord.api.tests.conftest import token_client
from accord.audit.models import AuditEvent
from accord.mediation.models import MediationSession, SessionNote
from accord.mediation.tests.helpers import ALL_RULES, at_mediation_stage, book, due, party

pytestmark = pytest.mark.django_db

PRIVATE = "Mediators-only-observation-Xylophone"


def test_the_mediator_runs_a_session_and_private_notes_stay_private(service: Any) -> None:
    at_mediation_stage(service.case)
    session = due(book(service))
    alice, bob = party(service), party(service, "Bob Jones")
    mediator = token_client(service.mediator)
    base = f"/cases/{service.case.pk}/sessions/{session.pk}"
    started = mediator.post(
        f"{base}/start",
        {
            "ground_rules_restated": True,
            "questions_invited": True,
            "full_rules": ALL_RULES,
            "opening_accounts": [
                {"participant_id": alice.pk, "text": "I want the children settled."},
                {"participant_id": bob.pk, "text": "Me too."},
            ],
        },
    )
    assert started.status_code == 200, started.json()
    assert started.json()["status"] == "in_progress" and started.json()["number"] == 1
    early_end = mediator.post(f"{base}/end")
    assert early_end.status_code == 422
    attended = mediator.post(
        f"{base}/attendance",
        {
            "attendance": [
                {"participant_id": alice.pk, "status": "attended"},
                {"participant_id": bob.pk, "status": "late"},
            ]
        },
    )
    assert attended.status_code == 200, attended.json()
    private = mediator.post(f"{base}/notes", {"kind": "private", "text": PRIVATE})
    shared = mediator.post(f"{base}/notes", {"kind": "shared_summary", "text": "We met."})
    assert private.status_code == 201 and shared.status_code == 201
    ended = mediator.post(f"{base}/end")
    assert ended.status_code == 200 and ended.json()["status"] == "held"

    staff_view = mediator.get(f"/cases/{service.case.pk}/sessions").json()
    assert {n["kind"] for n in staff_view["notes"]} == {"private", "shared_summary"}
    party_view = token_client(service.parties["alice"]).get(f"/cases/{service.case.pk}/sessions")
    assert party_view.status_code == 200
    assert PRIVATE not in party_view.content.decode()
    assert [n["kind"] for n in party_view.json()["notes"]] == ["shared_summary"]
    coordinator_view = token_client(service.coordinator).get(f"/cases/{service.case.pk}/sessions")
    assert PRIVATE not in coordinator_view.content.decode()


def test_pause_end_and_reopen(service: Any) -> None:
    at_mediation_stage(service.case)
    mediator = token_client(service.mediator)
    base = f"/cases/{service.case.pk}/mediation"
    paused = mediator.post(f"{base}/pause", {"reason": "Bob is in hospital."})
    assert paused.status_code == 200 and paused.json()["state"] == "paused"
    assert mediator.post(f"{base}/pause", {"reason": "Again"}).status_code == 422
    reopened = mediator.post(f"{base}/reopen", {"reason": "Bob is better."})
    assert reopened.status_code == 200 and reopened.json()["state"] == "active"
    ended = mediator.post(f"{base}/end", {"reason": "withdrew", "note": "Bob withdrew."})
    assert ended.status_code == 200, ended.json()
    assert ended.json()["state"] == "ended" and ended.json()["end_reason"] == "withdrew"


@pytest.mark.parametrize("who", ["party", "other_mediator"])
def test_outsiders_get_404_and_change_nothing(service: Any, who: str) -> None:
    at_mediation_stage(service.case)
    session = due(book(service))
    user = service.parties["alice"] if who == "party" else service.mediator2
    client = token_client(user)
    events = AuditEvent.objects.count()
    base = f"/cases/{service.case.pk}/sessions/{session.pk}"
    calls = [
        (f"{base}/start", {"ground_rules_restated": True, "questions_invited": True}),
        (f"{base}/attendance", {"attendance": []}),
        (f"{base}/end", None),
        (f"{base}/notes", {"kind": "private", "text": "x"}),
        (f"/cases/{service.case.pk}/mediation/pause", {"reason": "x"}),
        (f"/cases/{service.case.pk}/mediation/end", {"reason": "withdrew", "note": "x"}),
        (f"/cases/{service.case.pk}/mediation/reopen", {"reason": "x"}),
    ]
    for path, data in calls:
        answer = client.post(path, data)
        assert answer.status_code == 404, (path, answer.status_code)
    assert MediationSession.objects.get(pk=session.pk).status == "booked"
    assert AuditEvent.objects.count() == events


def test_the_coordinator_may_not_run_a_session(service: Any) -> None:
    at_mediation_stage(service.case)
    session = due(book(service))
    client = token_client(service.coordinator)
    answer = client.post(
        f"/cases/{service.case.pk}/sessions/{session.pk}/start",
        {"ground_rules_restated": True, "questions_invited": True, "full_rules": ALL_RULES},
    )
    assert answer.status_code == 403
    assert MediationSession.objects.get(pk=session.pk).status == "booked"


def test_bad_input_is_refused_with_nothing_saved(service: Any) -> None:
    at_mediation_stage(service.case)
    session = due(book(service))
    alice = party(service)
    mediator = token_client(service.mediator)
    events = AuditEvent.objects.count()
    base = f"/cases/{service.case.pk}/sessions/{session.pk}"
    refused = [
        (f"{base}/start", {"ground_rules_restated": False, "questions_invited": True}),
        (f"{base}/start", {"ground_rules_restated": True, "questions_invited": True}),
        (
            f"{base}/start",
            {
                "ground_rules_restated": True,
                "questions_invited": True,
                "full_rules": ["rule_sing"],
            },
        ),
        (
            f"{base}/start",
            {
                "ground_rules_restated": True,
                "questions_invited": True,
                "full_rules": ALL_RULES,
                "opening_accounts": [
                    {"participant_id": alice.pk, "text": "a"},
                    {"participant_id": alice.pk, "text": "b"},
                ],
            },
        ),
        (f"{base}/attendance", {"attendance": [{"participant_id": alice.pk, "status": "x"}]}),
        (f"{base}/notes", {"kind": "private", "text": "Not started yet."}),
        (f"{base}/notes", {"kind": "diary", "text": "x"}),
        (f"/cases/{service.case.pk}/mediation/end", {"reason": "bored", "note": "x"}),
        (f"/cases/{service.case.pk}/mediation/pause", {"reason": ""}),
        (f"/cases/{service.case.pk}/mediation/reopen", {"reason": "Not paused."}),
    ]
    for path, data in refused:
        answer = mediator.post(path, data)
        assert answer.status_code == 422, (path, data, answer.json())
    assert MediationSession.objects.get(pk=session.pk).status == "booked"
    assert SessionNote.objects.count() == 0
    assert AuditEvent.objects.count() == events
