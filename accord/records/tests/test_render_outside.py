"""Issue 15, item 5: a subject-access export (its PDF summary and ZIP) is built before the short
transaction that marks the request answered; a message written meanwhile has it built again, so
the checksum recorded is that of what was handed over."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.utils import timezone

from accord.cases.models import Participant
from accord.documents.tests.render_spy import spy_on_renders
from accord.records import services, subject_access
from accord.records.models import SubjectAccessRequest
from accord.rooms.models import Room
from accord.rooms.services import message_post, rooms_ensure

LATE = "One more thing before you send it: I can do Tuesdays too."


def _request(service: Any) -> SubjectAccessRequest:
    rooms_ensure(case=service.case)
    bob = Participant.objects.get(case=service.case, full_name="Bob Jones")
    return services.subject_access_request_make(
        actor=service.admin, participant=bob, received_on=timezone.localdate()
    )


@pytest.mark.django_db(transaction=True)
def test_the_export_is_built_outside_any_transaction(service: Any, monkeypatch: Any) -> None:
    sar = _request(service)
    seen = spy_on_renders(monkeypatch)

    data = services.subject_access_export_produce(actor=service.admin, request=sar)

    assert seen == [False]
    sar.refresh_from_db()
    assert sar.status == "done" and sar.export_sha256 == subject_access.sha256(data)


@pytest.mark.django_db
def test_a_message_written_while_the_export_is_built_is_in_it(
    service: Any, monkeypatch: Any
) -> None:
    sar = _request(service)

    def bob_writes(n: int) -> None:
        if n == 1:
            message_post(
                actor=service.parties["bob"],
                room=Room.objects.get(case=service.case, kind="joint"),
                body=LATE,
            )

    seen = spy_on_renders(monkeypatch, bob_writes)

    data = services.subject_access_export_produce(actor=service.admin, request=sar)

    assert len(seen) == 2
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert LATE in json.loads(archive.read("data.json"))["cases"].__repr__()
    sar.refresh_from_db()
    assert sar.export_sha256 == subject_access.sha256(data)
