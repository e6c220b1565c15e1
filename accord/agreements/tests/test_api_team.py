"""The case team's agreement endpoints: prepare (the page's `agreement_create`), void, and record
a wet-ink signature from a multipart upload; parties and staff off the case get 404 and change
nothing; bad input is a 422 with nothing saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accord.agreements.models import Signature, SigningPacket
from accord.agreements.tests.helpers import party, prepare
from accord.api.tests.conftest import API, token_client
from accord.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a scanned signed copy\n"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _upload_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _wet_ink(client: Client, case_id: int, participant_id: Any, content: bytes) -> Any:
    return client.post(
        f"{API}/cases/{case_id}/agreement/wet-ink",
        {
            "participant_id": participant_id,
            "upload": SimpleUploadedFile("copy.pdf", content, content_type="application/pdf"),
        },
    )


def test_the_team_prepares_voids_and_records_a_wet_ink_signature(service: Any) -> None:
    case = service.case
    coordinator = token_client(service.coordinator)
    prepared = coordinator.post(f"/cases/{case.pk}/agreement", {})
    assert prepared.status_code == 201, prepared.json()
    first = prepared.json()["packet_id"]
    assert prepared.json()["status"] == "open"
    again = coordinator.post(f"/cases/{case.pk}/agreement", {"extra_signer_ids": []})
    assert again.status_code == 201 and again.json()["packet_id"] != first
    assert SigningPacket.objects.get(pk=first).status == "void"

    bob = party(service, "Bob Jones")
    recorded = _wet_ink(_upload_client(service.coordinator), case.pk, bob.pk, PDF)
    assert recorded.status_code == 200, recorded.json()
    line = next(s for s in recorded.json()["signers"] if s["participant_id"] == bob.pk)
    assert line["signed"] is True and line["method"] == "wet_ink"

    voided = coordinator.post(f"/cases/{case.pk}/agreement/void")
    assert voided.status_code == 200, voided.json()
    assert SigningPacket.objects.get(pk=again.json()["packet_id"]).status == "void"


def test_bad_uploads_and_signers_are_refused_with_nothing_saved(service: Any) -> None:
    prepare(service)
    client = _upload_client(service.coordinator)
    bob = party(service, "Bob Jones")
    events = AuditEvent.objects.count()
    for who, content in [
        (bob.pk, b"MZ\x90\x00 not a scan"),
        (bob.pk, b""),
        (2**62, PDF),
        ("not-a-number", PDF),
    ]:
        answer = _wet_ink(client, service.case.pk, who, content)
        assert answer.status_code == 422, (who, answer.content)
    missing = client.post(
        f"{API}/cases/{service.case.pk}/agreement/wet-ink", {"participant_id": bob.pk}
    )
    assert missing.status_code == 422
    unknown = token_client(service.coordinator).post(
        f"/cases/{service.case.pk}/agreement", {"extra_signer_ids": [2**62]}
    )
    assert unknown.status_code == 422
    assert Signature.objects.count() == 0
    assert AuditEvent.objects.count() == events + 1  # only the token created above


@pytest.mark.parametrize("who", ["party", "other_mediator"])
def test_outsiders_get_404_and_change_nothing(service: Any, who: str) -> None:
    agreement = prepare(service)
    user = service.parties["alice"] if who == "party" else service.mediator2
    client = token_client(user)
    packets = SigningPacket.objects.count()
    assert client.post(f"/cases/{service.case.pk}/agreement", {}).status_code == 404
    assert client.post(f"/cases/{service.case.pk}/agreement/void").status_code == 404
    answer = _wet_ink(_upload_client(user), service.case.pk, party(service).pk, PDF)
    assert answer.status_code == 404
    assert SigningPacket.objects.count() == packets
    assert SigningPacket.objects.get(pk=agreement.packet.pk).status == "open"
    assert Signature.objects.count() == 0
