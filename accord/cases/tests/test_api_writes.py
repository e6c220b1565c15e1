"""Opening a case, changing its details and setting its team through the API, with the same
rules as the pages: staff of the service only, its kinds only, its staff only."""

from __future__ import annotations

import pytest

from accord.api.tests.conftest import token_client
from accord.cases.models import Case

pytestmark = pytest.mark.django_db


def test_a_coordinator_opens_a_case_then_changes_it_and_sets_its_team(service):
    api = token_client(service.coordinator)
    opened = api.post(
        "/cases",
        {"kind": "civil", "title": "Boundary dispute", "lead_mediator_id": service.mediator.pk},
    )
    assert opened.status_code == 201, opened.json()
    body = opened.json()
    case = Case.objects.get(pk=body["id"])
    assert (case.kind, case.title, case.lead_mediator_id) == (
        "civil",
        "Boundary dispute",
        service.mediator.pk,
    )
    changed = api.patch(f"/cases/{case.pk}", {"summary": "Hedge and fence."})
    assert changed.status_code == 200, changed.json()
    case.refresh_from_db()
    assert (case.title, case.summary) == ("Boundary dispute", "Hedge and fence.")
    team = api.put(
        f"/cases/{case.pk}/team",
        {"lead_mediator_id": service.mediator2.pk, "supervisor_id": service.supervisor.pk},
    )
    assert team.status_code == 200, team.json()
    case.refresh_from_db()
    assert (case.lead_mediator_id, case.co_mediator_id, case.supervisor_id) == (
        service.mediator2.pk,
        None,
        service.supervisor.pk,
    )


def test_bad_case_writes_are_refused_and_save_nothing(service):
    api = token_client(service.coordinator)
    party = token_client(service.parties["alice"])
    before = Case.objects.count()
    assert api.post("/cases", {"kind": "divorce", "title": "x"}).status_code == 422
    assert api.post("/cases", {"kind": "civil", "title": ""}).status_code == 422
    stranger = api.post("/cases", {"kind": "civil", "title": "x", "lead_mediator_id": 999_999})
    assert stranger.status_code == 422 and "lead_mediator_id" in stranger.json()["errors"]
    assert party.post("/cases", {"kind": "civil", "title": "Mine"}).status_code == 403
    assert Case.objects.count() == before
    title = service.case.title
    assert party.patch(f"/cases/{service.case.pk}", {"title": "Changed"}).status_code in (403, 404)
    assert api.patch(f"/cases/{service.case.pk}", {"title": ""}).status_code == 422
    service.case.refresh_from_db()
    assert service.case.title == title
