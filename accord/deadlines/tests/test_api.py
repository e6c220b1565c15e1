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


def test_staff_set_deadlines_by_rule_and_at_a_chosen_moment(service):
    from accord.deadlines.models import Deadline

    client = token_client(service.coordinator)
    path = f"/cases/{service.case.pk}/deadlines"
    by_rule = client.post(
        path,
        {
            "rule_code": "send.arrange_mediation",
            "start": "2026-12-01",
            "owner_id": service.mediator.pk,
        },
    )
    custom = client.post(
        path,
        {
            "rule_code": "custom",
            "due_at": "2027-01-15T17:00:00+00:00",
            "title": "Send the draft MoU",
            "owner_id": service.mediator.pk,
        },
    )

    assert custom.status_code == 201, custom.json()
    assert custom.json()["title"] == "Send the draft MoU"
    assert custom.json()["due_at"].startswith("2027-01-15T17:00:00")
    assert by_rule.status_code == 201, by_rule.json()
    assert by_rule.json()["rule_code"] == "send.arrange_mediation"
    assert by_rule.json()["due_at"] > "2026-12-01"
    created = Deadline.objects.filter(case=service.case, title="Send the draft MoU")
    assert created.count() == 1


def test_a_bad_deadline_is_422_and_outsiders_get_404(service, other_service):
    from accord.deadlines.models import Deadline

    path = f"/cases/{service.case.pk}/deadlines"
    before = Deadline.objects.count()
    client = token_client(service.coordinator)
    for body, field in [
        ({"rule_code": "custom", "owner_id": service.mediator.pk}, "due_at"),
        (
            {"rule_code": "no.such_rule", "start": "2026-12-01", "owner_id": service.mediator.pk},
            "rule_code",
        ),
        ({"rule_code": "send.arrange_mediation", "owner_id": service.mediator.pk}, "start"),
        (
            {
                "rule_code": "custom",
                "due_at": "2027-01-15T17:00:00+00:00",
                "owner_id": other_service.mediator.pk,
            },
            "owner_id",
        ),
    ]:
        response = client.post(path, body)
        assert response.status_code == 422, (body, response.json())
        assert field in response.json()["errors"], (body, response.json())
    good = {
        "rule_code": "custom",
        "due_at": "2027-01-15T17:00:00+00:00",
        "owner_id": service.mediator.pk,
    }
    assert token_client(other_service.coordinator).post(path, good).status_code == 404
    assert token_client(service.parties["alice"]).post(path, good).status_code == 404
    assert Deadline.objects.count() == before
