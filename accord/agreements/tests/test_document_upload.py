"""`documents.services.document_store_upload`: an uploaded file kept as an immutable version."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import default_storage

from accord.core.errors import NotFoundOrHidden, NotPermitted
from accord.documents.models import DocumentVersion
from accord.documents.services import document_store_upload

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _upload(service, actor, **overrides):
    data = {
        "actor": actor,
        "case": service.case,
        "title": "Signed copy",
        "content": PNG,
        "file_name": "scan.PNG",
        "content_type": "image/png",
        "document_code": "signed-copy",
    }
    data.update(overrides)
    return document_store_upload(**data)


def test_an_upload_is_stored_hashed_as_the_next_version(service):
    first = _upload(service, service.mediator)
    second = _upload(service, service.coordinator)
    assert (first.number, second.number) == (1, 2)
    assert first.sha256 == hashlib.sha256(PNG).hexdigest()
    assert first.content_type == "image/png" and first.size == len(PNG)
    assert first.file_name.endswith(".png") and first.template_code == "upload"
    with default_storage.open(first.content.name, "rb") as handle:
        assert handle.read() == PNG


def test_staff_who_may_only_look_and_strangers_cannot_upload(service, other_service):
    with pytest.raises(NotPermitted):
        _upload(service, service.supervisor)
    with pytest.raises(NotFoundOrHidden):
        _upload(service, other_service.admin)
    with pytest.raises(NotFoundOrHidden):
        _upload(service, service.parties["alice"])
    assert not DocumentVersion.objects.exists()
