"""The outcomes API: staff only, issue needs confirm: true, corrections with a reason."""

from __future__ import annotations

import pytest

from accord.api.tests.conftest import token_client
from accord.outcomes import services
from accord.outcomes.models import OutcomeDraft, OutcomeStatus
from accord.outcomes.tests.helpers import family_agreed, snapshot

pytestmark = pytest.mark.django_db


def _draft(service) -> OutcomeDraft:
    family_agreed(service)
    return services.outcome_draft_create(actor=service.mediator, case=service.case, kind="mou")


def test_issue_needs_confirm_true_and_bad_input_saves_nothing(service):
    draft = _draft(service)
    api = token_client(service.mediator)
    url = f"/cases/{service.case.pk}/outcomes/{draft.pk}/issue"
    before = snapshot()
    response = api.post(url, {"confirm": False})
    assert response.status_code == 422
    body = response.json()
    assert "only corrected by a new version" in body["detail"]
    assert "confirm" in body["errors"]
    assert api.post(url, {}).status_code == 422
    assert api.post(url, {"confirm": True, "extra": 1}).status_code == 422
    assert snapshot() == before
    response = api.post(url, {"confirm": True})
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "issued" and data["version_number"] == 1
    assert data["document_version_id"] is not None


def test_a_correction_through_the_api_supersedes_the_old_version(service):
    draft = _draft(service)
    old = services.outcome_issue(actor=service.mediator, draft=draft, confirm=True)
    api = token_client(service.mediator)
    case = service.case.pk
    before = snapshot()
    for payload in ({"reason": ""}, {"reason": "  "}, {}, {"reason": "x" * 2001}):
        assert api.post(f"/cases/{case}/outcomes/{old.pk}/corrections", payload).status_code == 422
    assert snapshot() == before
    response = api.post(f"/cases/{case}/outcomes/{old.pk}/corrections", {"reason": "Typo."})
    assert response.status_code == 201
    new = response.json()
    assert new["version_number"] == 2 and new["previous_id"] == old.pk
    assert new["status"] == "draft" and new["correction_reason"] == "Typo."
    # Correcting a draft is refused.
    refused = api.post(f"/cases/{case}/outcomes/{new['id']}/corrections", {"reason": "Again."})
    assert refused.status_code == 422
    issued = api.post(f"/cases/{case}/outcomes/{new['id']}/issue", {"confirm": True})
    assert issued.status_code == 200
    listed = api.get(f"/cases/{case}/outcomes").json()
    assert [(o["version_number"], o["status"]) for o in listed] == [
        (2, "issued"),
        (1, "superseded"),
    ]
    assert listed[1]["superseded_by_id"] == new["id"]
    assert OutcomeDraft.objects.get(pk=old.pk).status == OutcomeStatus.SUPERSEDED
    before = snapshot()
    refused = api.post(f"/cases/{case}/outcomes/{old.pk}/corrections", {"reason": "Again."})
    assert refused.status_code == 422 and "superseded" in refused.json()["detail"]
    assert snapshot() == before


def test_parties_and_other_services_get_404(service, other_service):
    draft = _draft(service)
    before = snapshot()
    for user in (service.parties["alice"], other_service.mediator):
        api = token_client(user)
        base = f"/cases/{service.case.pk}/outcomes"
        assert api.get(base).status_code == 404
        assert api.post(f"{base}/{draft.pk}/issue", {"confirm": True}).status_code == 404
        assert api.post(f"{base}/{draft.pk}/corrections", {"reason": "x"}).status_code == 404
    assert OutcomeDraft.objects.get().status == OutcomeStatus.DRAFT
    assert snapshot()["versions"] == before["versions"]
