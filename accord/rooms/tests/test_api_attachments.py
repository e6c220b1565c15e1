"""Files in rooms through the API: a multipart upload checked by the page's service, and downloads
only for who may use the room (a party only their own rooms' files); outsiders get 404 and
nothing is saved from a refused upload."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accord.rooms.models import Attachment, Message
from accord.rooms.tests.helpers import joint, private, signed_in

pytestmark = pytest.mark.django_db

API = "/api/v1"
PDF = b"%PDF-1.4\n% Alice's payslip\n"


def _upload(user: Any, case_id: int, room_id: int, content: bytes, **fields: Any) -> Any:
    data = {
        "attachment": SimpleUploadedFile("payslip.pdf", content, content_type="application/pdf"),
        **fields,
    }
    return signed_in(user).post(f"{API}/cases/{case_id}/rooms/{room_id}/attachments", data)


def test_a_party_sends_a_file_to_their_private_room_and_only_its_users_can_download(
    service: Any,
) -> None:
    case = service.case
    room = private(service, "alice")
    sent = _upload(service.parties["alice"], case.pk, room.pk, PDF, body="My payslip.")
    assert sent.status_code == 201, sent.content
    attachment = sent.json()["attachments"][0]
    assert attachment["content_type"] == "application/pdf" and attachment["size"] == len(PDF)
    path = f"{API}/cases/{case.pk}/attachments/{attachment['id']}/content"
    for user in (service.parties["alice"], service.mediator):
        answer = signed_in(user).get(path)
        assert answer.status_code == 200
        assert b"".join(answer.streaming_content) == PDF  # type: ignore[attr-defined]
        assert answer["X-Content-Type-Options"] == "nosniff"
    for user in (service.parties["bob"], service.mediator2, service.coordinator):
        assert signed_in(user).get(path).status_code == 404


def test_a_file_in_the_joint_room_reaches_both_parties(service: Any) -> None:
    room = joint(service)
    sent = _upload(service.mediator, service.case.pk, room.pk, PDF)
    assert sent.status_code == 201, sent.content
    path = (
        f"{API}/cases/{service.case.pk}/attachments/{sent.json()['attachments'][0]['id']}/content"
    )
    assert signed_in(service.parties["bob"]).get(path).status_code == 200
    other_case = next(c for c in service.cases.values() if c.pk != service.case.pk)
    wrong_case = path.replace(f"/cases/{service.case.pk}/", f"/cases/{other_case.pk}/")
    assert signed_in(service.mediator).get(wrong_case).status_code == 404


def test_refused_uploads_save_nothing(service: Any) -> None:
    room = private(service, "alice")
    alice = service.parties["alice"]
    for content, fields in [
        (b"MZ\x90\x00 a program", {}),
        (b"", {}),
        (PDF, {"body": "bad\x00text"}),
    ]:
        answer = _upload(alice, service.case.pk, room.pk, content, **fields)
        assert answer.status_code == 422, answer.content
    no_file = signed_in(alice).post(
        f"{API}/cases/{service.case.pk}/rooms/{room.pk}/attachments", {"body": "x"}
    )
    assert no_file.status_code == 422
    assert Message.objects.count() == 0 and Attachment.objects.count() == 0


def test_outsiders_cannot_upload(service: Any) -> None:
    room = private(service, "alice")
    for user in (service.parties["bob"], service.mediator2):
        assert _upload(user, service.case.pk, room.pk, PDF).status_code == 404
    assert Message.objects.count() == 0 and Attachment.objects.count() == 0
