"""Uploads and documents in S3-compatible object storage (a local moto server), downloads still
through the policy: the bytes are streamed by Accord after the check, never a bucket URL."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accord.cases.models import Participant
from accord.documents import services as document_services
from accord.documents.models import DocumentTemplate, TemplateKind
from accord.rooms import services as room_services
from accord.rooms.models import Attachment
from accord.rooms.tests.helpers import private, signed_in
from accord.testing.s3 import bucket_keys, s3_server, s3_storage_settings

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + b"0" * 200 + b"\n%%EOF\n"


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with s3_server() as endpoint:
        yield endpoint


@pytest.fixture(autouse=True)
def object_storage(settings, s3_endpoint, request):
    """Every file of the test goes to the bucket, under a prefix of its own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage_settings(s3_endpoint, prefix=request.node.name[:60]),
    }
    return s3_endpoint


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_default_storage_is_the_bucket(object_storage):
    name = default_storage.save("probe.txt", SimpleUploadedFile("probe.txt", b"hello"))

    assert any(key.endswith("/probe.txt") for key in bucket_keys(object_storage))
    with default_storage.open(name, "rb") as handle:
        assert handle.read() == b"hello"


def test_a_room_attachment_is_uploaded_to_the_bucket_and_downloaded_through_the_policy(
    service, sessions_ready, object_storage
):
    room_services.message_post(
        actor=service.parties["alice"],
        room=private(service, "alice"),
        body="My statement",
        attachment=SimpleUploadedFile("statement.pdf", PDF, content_type="application/pdf"),
    )
    attachment = Attachment.objects.get()
    assert any(key.endswith(str(attachment.content.name)) for key in bucket_keys(object_storage))
    url = reverse("rooms:portal_file", args=[service.case.pk, attachment.pk])

    response = signed_in(service.parties["alice"]).get(url)

    assert response.status_code == 200
    assert _body(response) == PDF
    assert response["Cache-Control"].startswith("private, no-store")
    assert "Location" not in response
    # Bob may not use Alice's private room: the bucket holds the file, the policy still says no.
    assert signed_in(service.parties["bob"]).get(url).status_code == 404


def test_a_generated_document_is_stored_in_the_bucket_and_only_shared_parties_get_it(
    client, service, object_storage
):
    DocumentTemplate.objects.create(
        code="s3-letter",
        name="Letter",
        kind=TemplateKind.HTML,
        body="<h1>Letter about {{ case.reference }}</h1>",
    )
    version = document_services.document_render_pdf(
        actor=service.mediator,
        case=service.case,
        template_code="s3-letter",
        context={},
        title="Letter",
    )
    assert any(key.endswith(str(version.content.name)) for key in bucket_keys(object_storage))
    alice = Participant.objects.get(case=service.case, user=service.parties["alice"])
    document_services.document_share(actor=service.mediator, version=version, participants=[alice])
    url = reverse("documents:download", args=[version.pk])

    client.force_login(service.parties["alice"])
    response = client.get(url)

    assert response.status_code == 200
    assert hashlib.sha256(_body(response)).hexdigest() == version.sha256
    client.force_login(service.parties["bob"])
    assert client.get(url).status_code == 404


def test_a_file_missing_from_the_bucket_answers_404_not_500(client, service, object_storage):
    DocumentTemplate.objects.create(
        code="gone", name="Gone", kind=TemplateKind.HTML, body="<p>{{ case.reference }}</p>"
    )
    version = document_services.document_render_pdf(
        actor=service.mediator, case=service.case, template_code="gone", context={}, title="Gone"
    )
    default_storage.delete(str(version.content.name))

    client.force_login(service.mediator)
    response = client.get(reverse("documents:download", args=[version.pk]))

    assert response.status_code == 404
