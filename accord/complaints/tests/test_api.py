"""Complaints and subject access in the API: the same policy as the pages, 422 for bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from accord.cases.models import Participant
from accord.complaints.models import Complaint

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, path: str, data: Any = None) -> Any:
    return client.post(API + path, json.dumps(data or {}), content_type="application/json")


def test_party_complains_and_the_mediator_cannot_see_it(service):
    bob = _client(service.parties["bob"])
    bad = _post(bob, f"/cases/{service.case.pk}/complaints", {"about": "  "})
    assert bad.status_code == 422 and not Complaint.objects.exists()
    made = _post(
        bob, f"/cases/{service.case.pk}/complaints", {"about": "Rude.", "about_mediator": True}
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert [c["id"] for c in bob.get(API + "/complaints").json()] == [pk]
    assert _client(service.parties["alice"]).get(API + "/complaints").json() == []
    assert _client(service.parties["carol"]).get(API + f"/complaints/{pk}").status_code == 404
    mediator = _client(service.mediator)
    assert mediator.get(API + f"/complaints/{pk}").status_code == 404
    assert mediator.get(API + "/complaints").json() == []
    admin = _client(service.admin)
    assert admin.get(API + f"/complaints/{pk}").status_code == 200
    bad = _post(
        admin, f"/complaints/{pk}/respond", {"on": "2026-01-01", "outcome": "x", "summary": ""}
    )
    assert bad.status_code == 422
    assert _post(admin, f"/complaints/{pk}/share").status_code == 200
    assert mediator.get(API + f"/complaints/{pk}").status_code == 200


def test_subject_access_in_the_api(service):
    bob = Participant.objects.get(full_name="Bob Jones")
    made = _post(
        _client(service.parties["bob"]), f"/cases/{service.case.pk}/subject-access-requests"
    )
    assert made.status_code == 201
    pk = made.json()["id"]
    assert (
        _post(_client(service.mediator), f"/subject-access-requests/{pk}/export").status_code == 404
    )
    dup = _post(
        _client(service.admin),
        "/subject-access-requests",
        {"participant_id": bob.pk, "received_on": "2026-12-01"},
    )
    assert dup.status_code == 422
    export = _post(_client(service.admin), f"/subject-access-requests/{pk}/export")
    assert export.status_code == 200 and export["Content-Type"] == "application/zip"
