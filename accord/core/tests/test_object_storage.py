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


def test_finance_evidence_is_stored_in_the_bucket_and_only_its_party_and_the_team_get_it(
    service, object_storage
):
    import datetime as dt

    from django.test import Client

    from accord.finance import services as finance_services
    from accord.finance.tests.conftest import open_finance_case

    fin = open_finance_case(service)
    item = finance_services.disclosure_item_add(
        actor=fin.a_user,
        case=fin.case,
        participant=fin.a,
        part="accounts",
        description="Current account",
        owner="a",
        value_pence=100_00,
        valuation_date=dt.date(2026, 11, 1),
        note="",
    )
    evidence = finance_services.evidence_upload(
        actor=fin.a_user,
        item=item,
        upload=SimpleUploadedFile("statement.pdf", PDF, content_type="application/pdf"),
    )
    assert any(key.endswith(str(evidence.content.name)) for key in bucket_keys(object_storage))

    def get(user, url):
        client = Client()
        client.force_login(user)
        return client.get(url)

    portal = reverse("finance:portal_evidence", args=[fin.case.pk, evidence.pk])
    staff = reverse("finance:evidence", args=[fin.case.pk, evidence.pk])
    mine = get(fin.a_user, portal)
    assert mine.status_code == 200 and _body(mine) == PDF
    assert "Location" not in mine
    assert get(fin.b_user, portal).status_code == 404
    assert get(service.mediator, staff).status_code == 200
    # A file gone from the bucket is a 404 for the person, not a 500.
    default_storage.delete(str(evidence.content.name))
    assert get(fin.a_user, portal).status_code == 404


def test_a_subject_access_zip_reads_shared_documents_from_the_bucket(service, object_storage):
    import io
    import zipfile

    from accord.records import services as records_services

    DocumentTemplate.objects.create(
        code="s3-sar", name="Letter", kind=TemplateKind.HTML, body="<p>{{ case.reference }}</p>"
    )
    version = document_services.document_render_pdf(
        actor=service.mediator,
        case=service.case,
        template_code="s3-sar",
        context={},
        title="Letter",
    )
    bob = Participant.objects.get(case=service.case, user=service.parties["bob"])
    document_services.document_share(actor=service.mediator, version=version, participants=[bob])
    request = records_services.subject_access_request_make(
        actor=service.parties["bob"], participant=bob
    )

    data = records_services.subject_access_export_produce(actor=service.admin, request=request)

    archive = zipfile.ZipFile(io.BytesIO(data))
    name = f"documents/{version.pk}-{version.file_name}"
    assert hashlib.sha256(archive.read(name)).hexdigest() == version.sha256
