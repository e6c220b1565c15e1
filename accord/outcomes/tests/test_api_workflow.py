"""The written-outcome workflow through the API: start, edit, send for approval, approve, issue
and share, each by the person the pages allow and through the same services."""

from __future__ import annotations

import pytest

from accord.api.tests.conftest import token_client
from accord.cases.models import Participant
from accord.documents.models import DocumentShare
from accord.outcomes import content
from accord.outcomes.models import OutcomeDraft
from accord.outcomes.tests.helpers import family_agreed, snapshot

pytestmark = pytest.mark.django_db


def test_a_draft_goes_from_start_to_shared_through_the_api(service):
    family_agreed(service)
    case = service.case.pk
    mediator = token_client(service.mediator)
    started = mediator.post(f"/cases/{case}/outcomes", {"kind": "mou"})
    assert started.status_code == 201, started.json()
    outcome = started.json()["id"]
    draft = OutcomeDraft.objects.get(pk=outcome)
    fields = {k: str(v) for k, v in content.as_fields(draft.kind, draft.sections).items()}
    first_text = next(k for k, _, _ in content.TEXT_SECTIONS["mou"])
    fields[first_text] = "Written through the API."
    edited = mediator.patch(f"/cases/{case}/outcomes/{outcome}", {"fields": fields})
    assert edited.status_code == 200, edited.json()
    draft.refresh_from_db()
    assert draft.sections[first_text] == "Written through the API."
    submitted = mediator.post(f"/cases/{case}/outcomes/{outcome}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "awaiting_approval"
    # Only the supervisor approves.
    assert mediator.post(f"/cases/{case}/outcomes/{outcome}/approve").status_code in (403, 422)
    approved = token_client(service.supervisor).post(f"/cases/{case}/outcomes/{outcome}/approve")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved"
    issued = mediator.post(f"/cases/{case}/outcomes/{outcome}/issue", {"confirm": True})
    assert issued.status_code == 200 and issued.json()["status"] == "issued"
    alice = Participant.objects.get(case=service.case, full_name="Alice Smith")
    shared = mediator.post(
        f"/cases/{case}/outcomes/{outcome}/share", {"participant_ids": [alice.pk]}
    )
    assert shared.status_code == 200, shared.json()
    assert DocumentShare.objects.filter(participant=alice).exists()


def test_bad_outcome_writes_are_refused_and_save_nothing(service):
    family_agreed(service)
    case = service.case.pk
    mediator = token_client(service.mediator)
    party = token_client(service.parties["alice"])  # making a token is audited: before snapshot
    before = snapshot()
    assert mediator.post(f"/cases/{case}/outcomes", {"kind": "settlement"}).status_code == 422
    assert mediator.post(f"/cases/{case}/outcomes", {"kind": "mou", "x": 1}).status_code == 422
    assert party.post(f"/cases/{case}/outcomes", {"kind": "mou"}).status_code == 404
    assert snapshot() == before
    outcome = mediator.post(f"/cases/{case}/outcomes", {"kind": "mou"}).json()["id"]
    other_case = mediator.post(
        f"/cases/{case}/outcomes/{outcome}/share", {"participant_ids": [999_999]}
    )
    assert other_case.status_code == 422
    before = snapshot()
    unknown = mediator.patch(f"/cases/{case}/outcomes/{outcome}", {"fields": {"summary": "x"}})
    assert unknown.status_code == 422 and "summary" in unknown.json()["errors"]
    too_long = mediator.patch(
        f"/cases/{case}/outcomes/{outcome}", {"fields": {"introduction": "x" * 100_001}}
    )
    assert too_long.status_code == 422
    assert snapshot() == before
    # A field not sent keeps its text.
    kept = OutcomeDraft.objects.get(pk=outcome).sections.get("item_1_title")
    mediator.patch(f"/cases/{case}/outcomes/{outcome}", {"fields": {"introduction": "Hello."}})
    draft = OutcomeDraft.objects.get(pk=outcome)
    assert draft.sections["introduction"] == "Hello."
    assert draft.sections.get("item_1_title") == kept
    assert len(draft.sections.get("items", [])) > 0
