"""Deadlines through the API: staff see and resolve what the policy allows; a party sees only
what was shared with them, and nothing of the staff's notes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accord.api.tests.conftest import token_client
from accord.deadlines.models import Deadline

pytestmark = pytest.mark.django_db


def test_staff_list_and_resolve_deadlines_and_parties_see_only_shared_ones(service, make_deadline):
    due = timezone.now() + dt.timedelta(days=5)
    private = make_deadline(due_at=due, title="Chase the school")
    shared = make_deadline(due_at=due, title="Send your documents", visible_to_participants=True)
    mediator = token_client(service.mediator)
    listed = mediator.get(f"/cases/{service.case.pk}/deadlines").json()
    assert {d["title"] for d in listed} >= {"Chase the school", "Send your documents"}
    mine = next(d for d in listed if d["id"] == private.pk)
    assert mine["can_resolve"] is True and mine["owner"]
    party = token_client(service.parties["alice"]).get(f"/cases/{service.case.pk}/deadlines")
    assert party.status_code == 200
    assert [d["id"] for d in party.json()] == [shared.pk]
    assert party.json()[0]["owner"] is None and party.json()[0]["waived_reason"] is None
    met = mediator.post(f"/deadlines/{private.pk}/met", {"note": "Called them."})
    assert met.status_code == 200 and met.json()["status"] == "met"
    again = mediator.post(f"/deadlines/{private.pk}/met", {})
    assert again.status_code == 422
    empty = mediator.post(f"/deadlines/{shared.pk}/waive", {"reason": ""})
    assert empty.status_code == 422
    assert Deadline.objects.get(pk=shared.pk).status == "open"
    waived = mediator.post(f"/deadlines/{shared.pk}/waive", {"reason": "Agreed later date."})
    assert waived.status_code == 200 and waived.json()["waived_reason"] == "Agreed later date."


def test_a_party_cannot_resolve_a_deadline(service, make_deadline):
    shared = make_deadline(
        due_at=timezone.now() + dt.timedelta(days=5), visible_to_participants=True
    )
    answer = token_client(service.parties["alice"]).post(f"/deadlines/{shared.pk}/met", {})
    assert answer.status_code == 404
    assert Deadline.objects.get(pk=shared.pk).status == "open"
