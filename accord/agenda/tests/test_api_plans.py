"""The API for what the pages already do: passing a shuttle answer back, and session plans."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accord.agenda.models import AgendaItem, AgendaStatus, SessionPlanItem
from accord.agenda.tests.helpers import party, propose
from accord.api.tests.conftest import token_client
from accord.audit.models import AuditEvent
from accord.mediation.models import MediationSession, SessionStatus
from accord.testing.factories import ready_for_sessions

pytestmark = pytest.mark.django_db


def test_a_shuttle_counter_reaches_the_proposer_only_through_the_mediator(service):
    ready_for_sessions(service.case, route="shuttle")
    item = propose(service)
    case_id = service.case.pk
    alice = token_client(service.parties["alice"])
    bob = token_client(service.parties["bob"])
    mediator = token_client(service.mediator)
    base = f"/cases/{case_id}/agenda/proposals"

    pid = alice.post(
        f"/cases/{case_id}/agenda/items/{item.pk}/proposals", {"text": "Alternate weekends."}
    ).json()["id"]
    assert mediator.post(f"{base}/{pid}/relay", {"text": "Alternate weekends."}).status_code == 200
    countered = bob.post(
        f"{base}/{pid}/answer",
        {"answer": "counter", "counter_text": "BOB-PRIVATE: Friday to Sunday, 6pm."},
    )
    assert countered.status_code == 200, countered.content

    # Alice sees neither Bob's answer nor his words until the mediator passes them on.
    mine = next(p for p in alice.get(base).json() if p["id"] == pid)
    assert mine["answers"] == []
    assert "BOB-PRIVATE" not in alice.get(base).content.decode()
    staff_view = next(p for p in mediator.get(base).json() if p["id"] == pid)
    (answer,) = staff_view["answers"]
    assert answer["answer"] == "counter"

    # Only a case mediator passes it on; a party is refused and nothing changes.
    refused = bob.post(f"{base}/{pid}/answers/{answer['id']}/relay", {})
    assert refused.status_code in (403, 404)
    assert not AuditEvent.objects.filter(action="agenda.proposal_answer_relayed").exists()
    assert mediator.post(f"{base}/{pid}/answers/999999/relay", {}).status_code == 404
    passed = mediator.post(f"{base}/{pid}/answers/{answer['id']}/relay", {})
    assert passed.status_code == 200, passed.content
    mine = next(p for p in alice.get(base).json() if p["id"] == pid)
    assert [a["answer"] for a in mine["answers"]] == ["counter"]
    again = mediator.post(f"{base}/{pid}/answers/{answer['id']}/relay", {})
    assert again.status_code == 422
    assert again.json()["detail"] == "This answer does not need passing on."

    # The counter reaches Alice in the mediator's words; her acceptance agrees those words.
    counter_id = next(p["id"] for p in mediator.get(base).json() if p["counter_to"] == pid)
    relayed = mediator.post(
        f"{base}/{counter_id}/relay", {"text": "Alternate weekends, Friday 6pm to Sunday 6pm."}
    )
    assert relayed.status_code == 200
    assert alice.post(f"{base}/{counter_id}/answer", {"answer": "accept"}).status_code == 200
    item = AgendaItem.objects.get(pk=item.pk)
    assert item.status == AgendaStatus.AGREED
    assert item.agreed_wording == "Alternate weekends, Friday 6pm to Sunday 6pm."

    # The item is agreed: a new proposal, or an answer to an old one, is refused clearly.
    late = bob.post(f"/cases/{case_id}/agenda/items/{item.pk}/proposals", {"text": "More."})
    assert late.status_code == 422
    assert late.json()["detail"].startswith("This item is already agreed")
    # The whole history stays: the first proposal, the counter, who answered what.
    history = mediator.get(base).json()
    assert [(p["id"], p["counter_to"], p["accepted"]) for p in history] == [
        (pid, None, False),
        (counter_id, pid, True),
    ]


def _session(service, status: str = SessionStatus.BOOKED) -> MediationSession:
    session = MediationSession.objects.create(
        organisation_id=service.case.organisation_id,
        case=service.case,
        starts_at=timezone.now() + dt.timedelta(days=3),
        duration_minutes=90,
        format="joint",
        mode="video",
        place="https://video.example/s",
        status=status,
    )
    session.attendees.set([party(service), party(service, "Bob Jones")])
    return session


def test_the_mediator_plans_a_session_through_the_api_and_parties_see_no_goals(service):
    session = _session(service)
    first, second = propose(service), propose(service, title="Holidays")
    url = f"/cases/{service.case.pk}/sessions/{session.pk}/plan"
    mediator = token_client(service.mediator)
    plan = {
        "rows": [
            {"item_id": second.pk, "position": 1, "minutes": 60, "goal": "GOAL-PRIVATE"},
            {"item_id": first.pk, "position": 2, "minutes": 45},
        ]
    }
    saved = mediator.put(url, plan)
    assert saved.status_code == 200, saved.content
    body = saved.json()
    assert [r["item_id"] for r in body["rows"]] == [second.pk, first.pk]
    assert body["rows"][0]["goal"] == "GOAL-PRIVATE"
    assert (body["total_minutes"], body["session_minutes"], body["over_by"]) == (105, 90, 15)

    alice = token_client(service.parties["alice"])
    seen = alice.get(url)
    assert seen.status_code == 200
    assert [r["title"] for r in seen.json()["rows"]] == ["Holidays", "Weekends"]
    assert "GOAL-PRIVATE" not in seen.content.decode()
    assert alice.put(url, plan).status_code in (403, 404)
    assert token_client(service.coordinator).put(url, plan).status_code == 403

    # A bad row refuses the whole plan and keeps the old one.
    bad = mediator.put(url, {"rows": [{"item_id": first.pk, "position": 1, "minutes": 0}]})
    assert bad.status_code == 422
    assert bad.json()["errors"][f"minutes_{first.pk}"] == [
        "Give each item between 1 and 480 minutes."
    ]
    other = mediator.put(url, {"rows": [{"item_id": 999999, "position": 1, "minutes": 10}]})
    assert other.status_code == 422
    assert list(SessionPlanItem.objects.order_by("position").values_list("minutes", flat=True)) == [
        60,
        45,
    ]


def test_a_session_that_will_not_take_place_cannot_be_planned(service):
    session = _session(service, status=SessionStatus.CANCELLED)
    item = propose(service)
    url = f"/cases/{service.case.pk}/sessions/{session.pk}/plan"
    refused = token_client(service.mediator).put(
        url, {"rows": [{"item_id": item.pk, "position": 1, "minutes": 30}]}
    )
    assert refused.status_code == 422
    assert "cancelled" in refused.json()["detail"]
    assert not SessionPlanItem.objects.exists()
