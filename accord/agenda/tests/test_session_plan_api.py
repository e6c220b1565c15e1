"""Session plans through the API: the case mediator plans through the page's service, parties
read the order without goals, and bad plans are 422 with the plan left as it was."""

from __future__ import annotations

import pytest

from accord.agenda.models import SessionPlanItem
from accord.agenda.tests.helpers import propose
from accord.agenda.tests.test_session_plan import _session
from accord.api.tests.conftest import token_client
from accord.audit.models import AuditEvent
from accord.cases.models import Participant

pytestmark = pytest.mark.django_db


def _path(service, session) -> str:
    return f"/cases/{service.case.pk}/sessions/{session.pk}/plan"


def _with_alice(service):
    """A session Alice attends (a party sees only the sessions she is booked on)."""
    session = _session(service)
    session.attendees.add(Participant.objects.get(case=service.case, user=service.parties["alice"]))
    return session


def test_the_mediator_plans_and_a_party_reads_without_goals(service):
    session = _with_alice(service)
    first, second = propose(service), propose(service, title="Holidays")
    events = AuditEvent.objects.count()

    saved = token_client(service.mediator).put(
        _path(service, session),
        {
            "rows": [
                {"item_id": second.pk, "position": 1, "minutes": 60, "goal": "GOAL-PRIVATE"},
                {"item_id": first.pk, "position": 2, "minutes": 45},
            ]
        },
    )

    assert saved.status_code == 200, saved.json()
    body = saved.json()
    assert [r["item_id"] for r in body["rows"]] == [second.pk, first.pk]
    assert body["total_minutes"] == 105 and body["over_by"] == 15
    assert body["rows"][0]["goal"] == "GOAL-PRIVATE"
    assert AuditEvent.objects.count() > events
    party = token_client(service.parties["alice"]).get(_path(service, session))
    assert party.status_code == 200
    assert [r["goal"] for r in party.json()["rows"]] == [None, None]
    assert "GOAL-PRIVATE" not in party.content.decode()


def test_bad_plans_and_other_people_change_nothing(service, other_service):
    session = _with_alice(service)
    item = propose(service)
    client = token_client(service.mediator)
    client.put(_path(service, session), {"rows": [{"item_id": item.pk, "minutes": 30}]})
    before = list(SessionPlanItem.objects.values())
    for rows in (
        [{"item_id": item.pk, "minutes": 0}],
        [{"item_id": item.pk, "minutes": 30}, {"item_id": item.pk, "minutes": 20}],
        [{"item_id": 999999, "minutes": 30}],
        [{"item_id": item.pk, "minutes": 30, "goal": "x" * 1001}],
    ):
        response = client.put(_path(service, session), {"rows": rows})
        assert response.status_code == 422, (rows, response.json())
    party = token_client(service.parties["alice"])
    assert party.put(_path(service, session), {"rows": []}).status_code == 403
    # Bob is not booked on it: for him the session does not exist.
    assert token_client(service.parties["bob"]).get(_path(service, session)).status_code == 404
    outsider = token_client(other_service.mediator)
    assert outsider.put(_path(service, session), {"rows": []}).status_code == 404
    assert outsider.get(_path(service, session)).status_code == 404
    assert list(SessionPlanItem.objects.values()) == before
