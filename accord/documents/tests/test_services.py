"""The document pipeline's services: rendering, versions, immutability, sharing, opening."""

from __future__ import annotations

import hashlib
import socket
import zipfile
from io import BytesIO

import pytest

from accord.audit.models import AuditEvent
from accord.cases.models import Participant
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.documents import rendering, services
from accord.documents.models import (
    Document,
    DocumentShare,
    DocumentVersion,
    ImmutableVersionError,
)
from accord.documents.tests.pdftext import pdf_text


def _letter(service, actor=None, **context):
    return services.document_render_pdf(
        actor=actor or service.mediator,
        case=service.case,
        template_code="test-letter",
        context={"recipient": "Alice Green", "meeting_date": "3 December 2026", **context},
        title="Invitation letter",
    )


def _party(service, name):
    return Participant.objects.get(case=service.case, user=service.parties[name])


def test_pdf_contains_the_context_and_the_letterhead(service, letter_template):
    org = service.organisation
    org.address = "12 Mill Lane, Riverside"
    org.phone = "01632 960123"
    org.email = "hello@riverside.example"
    org.save()

    version = _letter(service)

    content = version.content.open("rb").read()
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "Dear Alice Green," in text
    assert "3 December 2026" in text
    assert service.case.reference in text
    assert "Riverside Family Mediation" in text
    assert "12 Mill Lane, Riverside" in text
    assert "01632 960123" in text
    assert "hello@riverside.example" in text
    assert version.content_type == "application/pdf"
    assert version.file_name == "invitation-letter-v1.pdf"


def test_recorded_sha256_and_size_match_the_stored_bytes(service, letter_template):
    version = _letter(service)
    content = version.content.open("rb").read()
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.size == len(content)
    assert version.template_code == "test-letter"
    assert version.template_version == 1
    assert version.produced_by == service.mediator


def test_rendering_again_adds_a_numbered_version_of_the_same_document(service, letter_template):
    first = _letter(service)
    second = _letter(service, recipient="Bob White")
    assert first.document_id == second.document_id
    assert [first.number, second.number] == [1, 2]
    assert Document.objects.filter(case=service.case).count() == 1
    assert first.content.name != second.content.name
    actions = AuditEvent.objects.filter(case_id=service.case.pk, action="document.produced")
    assert actions.count() == 2


def test_a_service_template_takes_precedence_over_the_built_in_one(service, letter_template):
    from accord.documents.models import DocumentTemplate

    DocumentTemplate.objects.create(
        organisation=service.organisation,
        code="test-letter",
        name="Own letter",
        kind="html",
        version=3,
        body='{% extends "documents/letterhead_base.html" %}{% block content %}'
        "<p>Own wording for {{ recipient }}</p>{% endblock %}",
    )
    version = _letter(service)
    assert version.template_version == 3
    assert "Own wording for Alice Green" in pdf_text(version.content.open("rb").read())


def test_versions_cannot_be_changed_or_deleted(service, letter_template):
    version = _letter(service)
    version.title = "changed"
    version.sha256 = "0" * 64
    with pytest.raises(ImmutableVersionError):
        version.save()
    with pytest.raises(ImmutableVersionError):
        version.delete()
    with pytest.raises(ImmutableVersionError):
        DocumentVersion.objects.filter(pk=version.pk).update(sha256="0" * 64)
    with pytest.raises(ImmutableVersionError):
        DocumentVersion.objects.filter(pk=version.pk).delete()
    stored = DocumentVersion.objects.get(pk=version.pk)
    assert stored.sha256 == hashlib.sha256(stored.content.open("rb").read()).hexdigest()


def test_the_fetcher_refuses_external_urls_and_local_files(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the renderer tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    fetcher = rendering.StaticOnlyFetcher()
    html = (
        '<link rel="stylesheet" href="/static/documents/letterhead.css">'
        '<img src="https://example.com/tracker.png">'
        '<img src="http://127.0.0.1:8000/admin/">'
        '<img src="file:///etc/passwd">'
        '<img src="/etc/hostname">'
        '<img src="/static/../../config/settings.py">'
        '<img src="data:text/html;base64,PGgxPmhpPC9oMT4=">'
        "<p>Body</p>"
    )
    pdf = rendering.html_to_pdf(html, fetcher=fetcher)
    assert pdf.startswith(b"%PDF")
    assert fetcher.fetched == ["https://accord.invalid/static/documents/letterhead.css"]
    refused = " ".join(fetcher.refused)
    for fragment in (
        "https://example.com/tracker.png",
        "http://127.0.0.1:8000/admin/",
        "file:///etc/passwd",
        "https://accord.invalid/etc/hostname",
        "data:text/html",
    ):
        assert fragment in refused
    assert b"root:" not in pdf


def test_the_fetcher_allows_a_small_inline_image():
    fetcher = rendering.StaticOnlyFetcher()
    pixel = (
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAE"
        "hQGAhKmMIQAAAABJRU5ErkJggg=="
    )
    rendering.html_to_pdf(f'<img src="data:image/png;base64,{pixel}">', fetcher=fetcher)
    assert fetcher.refused == []
    assert len(fetcher.fetched) == 1


def test_a_template_with_an_external_url_still_renders_without_fetching_it(
    service, letter_template, monkeypatch
):
    seen: list[str] = []
    real = rendering.StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        seen.append(url)
        return real(self, url, headers)

    monkeypatch.setattr(rendering.StaticOnlyFetcher, "fetch", spy)
    letter_template.body = letter_template.body.replace(
        "<p>Dear", '<img src="https://evil.example/x.png"><img src="file:///etc/passwd"><p>Dear'
    )
    letter_template.save()
    version = _letter(service)
    assert "Dear Alice Green," in pdf_text(version.content.open("rb").read())
    assert "https://evil.example/x.png" in seen


def test_docx_renders_with_the_context(service, docx_template):
    version = services.document_render_docx(
        actor=service.coordinator,
        case=service.case,
        template_code="test-docx",
        context={"recipient": "Alice <Green> & co"},
        title="Editable letter",
    )
    assert version.file_name.endswith(".docx")
    assert version.content_type.endswith("wordprocessingml.document")
    content = version.content.open("rb").read()
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    xml = zipfile.ZipFile(BytesIO(content)).read("word/document.xml").decode()
    assert "Dear Alice &lt;Green&gt; &amp; co, your case is " + service.case.reference in xml
    assert "Riverside Family Mediation" in xml


def test_an_unknown_template_is_a_clear_error_and_saves_nothing(service, document_storage):
    with pytest.raises(ValidationFailed) as caught:
        _letter(service)
    assert "test-letter" in caught.value.message
    assert not Document.objects.exists()


@pytest.mark.parametrize("who", ["supervisor", "safeguarding_lead"])
def test_staff_who_may_only_look_cannot_produce(service, letter_template, who):
    with pytest.raises(NotPermitted):
        _letter(service, actor=getattr(service, who))
    assert not DocumentVersion.objects.exists()


def test_other_services_and_parties_cannot_produce(service, other_service, letter_template):
    for actor in (other_service.admin, service.parties["alice"]):
        with pytest.raises(NotFoundOrHidden):
            _letter(service, actor=actor)
    assert not DocumentVersion.objects.exists()


def test_sharing_records_each_participant_once(service, letter_template):
    version = _letter(service)
    alice = _party(service, "alice")
    services.document_share(actor=service.coordinator, version=version, participants=[alice])
    services.document_share(actor=service.coordinator, version=version, participants=[alice])
    share = DocumentShare.objects.get()
    assert share.participant == alice
    assert share.shared_by == service.coordinator
    assert AuditEvent.objects.filter(action="document.shared").count() == 1


def test_sharing_with_another_case_participant_is_refused(service, letter_template):
    version = _letter(service)
    carol = Participant.objects.get(user=service.parties["carol"])
    with pytest.raises(ValidationFailed):
        services.document_share(actor=service.coordinator, version=version, participants=[carol])
    assert not DocumentShare.objects.exists()


def test_opening_is_recorded_once_and_only_for_the_shared_participant(service, letter_template):
    version = _letter(service)
    services.document_share(
        actor=service.mediator, version=version, participants=[_party(service, "alice")]
    )
    first = services.document_record_opened(user=service.parties["alice"], version=version)
    opened_at = first.first_opened_at
    assert opened_at is not None
    again = services.document_record_opened(user=service.parties["alice"], version=version)
    assert again.first_opened_at == opened_at
    assert AuditEvent.objects.filter(action="document.opened").count() == 1
    with pytest.raises(NotFoundOrHidden):
        services.document_record_opened(user=service.parties["bob"], version=version)
