"""Documents through the API: staff see every version of a case's documents; a party only the
versions shared with them, and downloads only those."""

from __future__ import annotations

import pytest

from accord.api.tests.conftest import token_client
from accord.cases.models import Participant
from accord.documents.models import DocumentShare
from accord.outcomes import services as outcome_services
from accord.outcomes.tests.helpers import family_agreed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }


def test_staff_see_documents_and_a_party_only_what_was_shared_with_them(service, sessions_ready):
    family_agreed(service)
    draft = outcome_services.outcome_draft_create(
        actor=service.mediator, case=service.case, kind="mou"
    )
    draft = outcome_services.outcome_issue(actor=service.mediator, draft=draft, confirm=True)
    case = service.case.pk
    staff = token_client(service.mediator).get(f"/cases/{case}/documents").json()
    version_id = draft.issued_version_id
    assert any(v["id"] == version_id for d in staff for v in d["versions"])
    alice = token_client(service.parties["alice"])
    assert alice.get(f"/cases/{case}/documents").json() == []
    assert alice.get(f"/documents/versions/{version_id}/content").status_code == 404
    person = Participant.objects.get(case=service.case, full_name="Alice Smith")
    outcome_services.outcome_share(actor=service.mediator, draft=draft, participants=[person])
    shared = alice.get(f"/cases/{case}/documents").json()
    assert [v["id"] for d in shared for v in d["versions"]] == [version_id]
    assert shared[0]["id"] is None
    download = alice.get(f"/documents/versions/{version_id}/content")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert DocumentShare.objects.get(participant=person).first_opened_at is not None
    assert (
        token_client(service.parties["bob"])
        .get(f"/documents/versions/{version_id}/content")
        .status_code
        == 404
    )
