"""Willingness invitations by letter through the API, as the workspace page makes them: the PDF
through the same service, downloadable by the case team only; the letter leaves out Alice's
confidential address and never shows the other party's details; refusals change nothing."""

from __future__ import annotations

from typing import Any

import pytest

from accord.api.tests.conftest import token_client
from accord.audit.models import AuditEvent
from accord.cases import services as case_services
from accord.cases.models import Participant
from accord.deadlines.models import OutboundEmail
from accord.documents.tests.pdftext import pdf_text
from accord.willingness import codes
from accord.willingness.models import WillingnessInvitation
from accord.willingness.tests.helpers import party

pytestmark = pytest.mark.django_db

CODE = "ABCD2345EFGH6789JKMN"


@pytest.fixture(autouse=True)
def fixed_code(monkeypatch: Any) -> str:
    """A known code: the test PDF reader cannot decode some random glyph sets."""
    monkeypatch.setattr(codes, "new_code", lambda: CODE)
    return CODE


def _path(service: Any) -> str:
    return f"/cases/{service.case.pk}/willingness/invitations"


def test_the_coordinator_makes_a_letter_and_the_team_downloads_it(service: Any) -> None:
    api = token_client(service.coordinator)
    answer = api.post(_path(service), {"participant_id": party(service).pk, "channel": "letter"})
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["channel"] == "letter" and body["status"] == "invited"
    assert CODE not in answer.content.decode() and "ABCD-2345" not in answer.content.decode()
    invitation = WillingnessInvitation.objects.get(pk=body["id"])
    assert invitation.letter_id == body["letter_version_id"] is not None
    assert not OutboundEmail.objects.exists()
    event = AuditEvent.objects.get(action="willingness.invited")
    assert event.details["channel"] == "letter" and event.actor == service.coordinator
    pdf = api.get(f"/documents/versions/{body['letter_version_id']}/content")
    assert pdf.status_code == 200
    text = pdf_text(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content)
    assert "ABCD-2345-EFGH-6789-JKMN" in text and "Bob Jones" in text
    assert "Alice" not in text and "Hidden Lane" not in text
    # Neither party may download the letter.
    for name in ("alice", "bob"):
        refused = token_client(service.parties[name]).get(
            f"/documents/versions/{body['letter_version_id']}/content"
        )
        assert refused.status_code == 404


def test_a_letter_to_someone_with_a_confidential_address_leaves_it_out(service: Any) -> None:
    alice = party(service, "Alice Smith")
    answer = token_client(service.coordinator).post(
        _path(service), {"participant_id": alice.pk, "channel": "letter"}
    )
    assert answer.status_code == 201, answer.json()
    invitation = WillingnessInvitation.objects.get(pk=answer.json()["id"])
    assert invitation.letter is not None
    text = pdf_text(invitation.letter.content.open("rb").read())
    assert "Alice Smith" in text and "Hidden Lane" not in text


@pytest.mark.parametrize(
    ("who", "status"),
    [("party", 404), ("other_service", 404), ("supervisor", 403)],
)
def test_others_cannot_make_a_letter(
    service: Any, other_service: Any, who: str, status: int
) -> None:
    user = {
        "party": service.parties["alice"],
        "other_service": other_service.coordinator,
        "supervisor": service.supervisor,
    }[who]
    client = token_client(user)
    events = AuditEvent.objects.count()
    answer = client.post(_path(service), {"participant_id": party(service).pk, "channel": "letter"})
    assert answer.status_code == status
    assert not WillingnessInvitation.objects.exists()
    assert AuditEvent.objects.count() == events


def test_bad_letters_name_the_field_and_save_nothing(service: Any) -> None:
    solicitor = case_services.participant_add(
        actor=service.coordinator, case=service.case, role="solicitor", full_name="Sol Icitor"
    )
    api = token_client(service.coordinator)
    events = AuditEvent.objects.count()
    fax = api.post(_path(service), {"participant_id": party(service).pk, "channel": "fax"})
    assert fax.status_code == 422 and "channel" in fax.json()["errors"]
    Participant.objects.filter(pk=party(service).pk).update(safe_contact_methods=["email"])
    unsafe = api.post(_path(service), {"participant_id": party(service).pk, "channel": "letter"})
    assert unsafe.status_code == 422
    assert "Post is not a safe way" in unsafe.json()["errors"]["channel"][0]
    not_party = api.post(_path(service), {"participant_id": solicitor.pk, "channel": "letter"})
    assert not_party.status_code == 422 and "participant_id" in not_party.json()["errors"]
    assert not WillingnessInvitation.objects.exists()
    assert AuditEvent.objects.count() == events
