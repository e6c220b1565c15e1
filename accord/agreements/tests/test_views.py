"""The agreement pages through the test client: wording admin, case team tools, portal signing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accord.agreements.models import Agreement, AgreementTemplate, Signature, SigningPacket
from accord.agreements.tests.helpers import UA, party, prepare, sign
from accord.cases.workspace import section_url
from accord.documents.models import Document

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client(HTTP_USER_AGENT=UA)
    client.force_login(user)
    return client


# Wording admin ------------------------------------------------------------------------------


def test_a_service_admin_edits_previews_and_saves_versions(service):
    client = _client(service.admin)
    page = client.get(reverse("agreements:templates")).content.decode()
    assert "Accord's default" in page and "SEND" in page
    url = reverse("agreements:template_edit", args=["send"])
    assert "Courtesy" in client.get(url).content.decode()
    body = "## Rules\n<script>alert(1)</script> {{service}}\n\n{% load static %}"
    response = client.post(url, {"title": "Terms", "body": body, "preview": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Riverside Family Mediation" in html
    assert "<script>alert(1)</script>" not in html
    assert not AgreementTemplate.objects.exists()
    response = client.post(url, {"title": "Terms", "body": body})
    assert response.status_code == 302
    saved = AgreementTemplate.objects.get()
    assert (saved.kind_group, saved.version) == ("send", 1)
    version_page = client.get(reverse("agreements:template_version", args=["send", 1]))
    assert "&lt;script&gt;" in version_page.content.decode()
    assert "<script>alert" not in version_page.content.decode()
    history = client.get(reverse("agreements:template_history", args=["send"])).content.decode()
    assert "Version 1: Terms" in history


def test_an_unknown_placeholder_is_a_field_error_on_the_page(service):
    client = _client(service.admin)
    url = reverse("agreements:template_edit", args=["family"])
    for extra in ({}, {"preview": "1"}):
        response = client.post(url, {"title": "T", "body": "{{ case.delete }}", **extra})
        assert response.status_code == 422
        assert "Unknown placeholder {{case.delete}}" in response.content.decode()
    assert not AgreementTemplate.objects.exists()


def test_only_the_service_admin_reaches_the_wording_pages(service, other_service):
    for user in (service.coordinator, service.mediator, other_service.coordinator):
        client = _client(user)
        assert client.get(reverse("agreements:templates")).status_code == 404
        url = reverse("agreements:template_edit", args=["family"])
        assert client.post(url, {"title": "T", "body": "x"}).status_code == 404
    alice = _client(service.parties["alice"])
    assert alice.get(reverse("agreements:templates")).status_code == 404
    assert _client(service.admin).get("/service/agreement-templates/nope/").status_code == 404
    assert not AgreementTemplate.objects.exists()


# Case team ----------------------------------------------------------------------------------


def test_the_team_prepares_the_agreement_and_the_workspace_shows_who_is_to_sign(service):
    client = _client(service.coordinator)
    case_url = section_url(service.case.pk, "preparation")
    assert "Not prepared yet" in client.get(case_url).content.decode()
    response = client.post(reverse("agreements:prepare", args=[service.case.pk]), {})
    assert response.status_code == 302
    packet = SigningPacket.objects.get()
    page = client.get(case_url).content.decode()
    assert "Still to sign: <strong>Alice Smith</strong>, <strong>Bob Jones</strong>" in page
    sign(service, Agreement.objects.get(packet=packet), "alice")
    page = client.get(case_url).content.decode()
    assert "Still to sign: <strong>Bob Jones</strong>" in page
    detail = client.get(reverse("agreements:detail", args=[service.case.pk])).content.decode()
    assert "203.0.113.7" in detail and packet.sha256 in detail


def test_staff_who_may_only_look_or_other_services_cannot_prepare(service, other_service):
    url = reverse("agreements:prepare", args=[service.case.pk])
    assert _client(service.supervisor).post(url, {}).status_code == 403
    assert _client(other_service.admin).post(url, {}).status_code == 404
    assert _client(service.parties["alice"]).post(url, {}).status_code == 404
    assert not SigningPacket.objects.exists()


def test_the_team_uploads_a_wet_ink_copy_checked_by_content(service):
    prepare(service)
    client = _client(service.mediator)
    url = reverse("agreements:wet_ink", args=[service.case.pk])
    bob = party(service, "Bob Jones")
    fake = SimpleUploadedFile("copy.pdf", b"<html>not a pdf</html>", "application/pdf")
    response = client.post(url, {"participant": bob.pk, "upload": fake})
    assert response.status_code == 422
    assert "must be a PDF, JPEG or PNG" in response.content.decode()
    assert not Signature.objects.exists()
    real = SimpleUploadedFile("copy.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png")
    response = client.post(url, {"participant": bob.pk, "upload": real})
    assert response.status_code == 302
    assert Signature.objects.get().participant == bob


def test_the_team_produces_the_pdf_and_downloads_it_from_the_panel(service):
    agreement = prepare(service)
    sign(service, agreement, "alice")
    client = _client(service.mediator)
    response = client.post(reverse("agreements:pdf", args=[service.case.pk]))
    assert response.status_code == 302
    document = Document.objects.get(code=agreement.packet.document_code)
    version = document.versions.get()
    page = client.get(section_url(service.case.pk, "preparation")).content.decode()
    assert reverse("documents:download", args=[version.pk]) in page
    assert (
        _client(service.supervisor)
        .post(reverse("agreements:pdf", args=[service.case.pk]))
        .status_code
        == 403
    )


# Portal signing -----------------------------------------------------------------------------


def test_a_party_reads_and_signs_in_the_portal(service):
    agreement = prepare(service)
    client = _client(service.parties["alice"])
    portal = client.get(reverse("portal:case", args=[service.case.pk])).content.decode()
    assert "Agreement to Mediate - please read and sign" in portal
    url = reverse("agreements:portal_sign", args=[service.case.pk, agreement.packet.pk])
    page = client.get(url).content.decode()
    assert "information, not advice" in page and "Type your full name to sign" in page
    response = client.post(url, {"typed_name": "Bob Jones"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Tick the box to confirm" in body and "Type your full name exactly" in body
    assert not Signature.objects.exists()
    response = client.post(url, {"typed_name": "alice  smith", "confirm": "on"})
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.ip_address == "127.0.0.1" and signature.user_agent == UA
    assert signature.text_sha256 == agreement.packet.sha256
    page = client.get(url).content.decode()
    assert "You have signed" in page and "Not everyone has signed yet" in page
    portal = client.get(reverse("portal:case", args=[service.case.pk])).content.decode()
    assert "You signed the Agreement to Mediate" in portal
    assert "please read and sign" not in portal


def test_a_party_never_sees_the_other_partys_ip_or_browser(service):
    agreement = prepare(service)
    sign(service, agreement, "bob", ip="198.51.100.23", user_agent="BobsBrowser/9")
    client = _client(service.parties["alice"])
    url = reverse("agreements:portal_sign", args=[service.case.pk, agreement.packet.pk])
    pages = [client.get(url), client.get(reverse("portal:case", args=[service.case.pk]))]
    for response in pages:
        html = response.content.decode()
        assert "198.51.100.23" not in html and "BobsBrowser" not in html


def test_people_not_asked_to_sign_get_404_from_the_signing_page(service, other_service):
    agreement = prepare(service)
    url = reverse("agreements:portal_sign", args=[service.case.pk, agreement.packet.pk])
    for user in (service.parties["carol"], other_service.parties["alice"], service.mediator):
        client = _client(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"typed_name": "Carol Brown", "confirm": "on"}).status_code == 404
    wrong_case = reverse(
        "agreements:portal_sign", args=[service.cases["civil"].pk, agreement.packet.pk]
    )
    assert _client(service.parties["carol"]).get(wrong_case).status_code == 404
    assert not Signature.objects.exists()


def test_staff_who_may_only_look_see_the_panel_and_page_without_the_tools(service):
    agreement = prepare(service)
    sign(service, agreement, "alice")
    client = _client(service.supervisor)
    page = client.get(section_url(service.case.pk, "preparation")).content.decode()
    assert "Still to sign: <strong>Bob Jones</strong>" in page
    assert reverse("agreements:wet_ink", args=[service.case.pk]) not in page
    assert reverse("agreements:prepare", args=[service.case.pk]) not in page
    detail = client.get(reverse("agreements:detail", args=[service.case.pk]))
    assert detail.status_code == 200
    assert "Produce the PDF" not in detail.content.decode()
    assert client.get(reverse("agreements:wet_ink", args=[service.case.pk])).status_code == 403
    other = _client(service.parties["alice"])
    assert other.get(reverse("agreements:detail", args=[service.case.pk])).status_code == 404


def test_the_staff_page_warns_when_the_text_no_longer_matches_its_hash(service):
    agreement = prepare(service)
    client = _client(service.mediator)
    url = reverse("agreements:detail", args=[service.case.pk])
    assert "no longer matches" not in client.get(url).content.decode()
    SigningPacket.objects.filter(pk=agreement.packet.pk).update(text="Changed behind our back")
    assert "no longer matches" in client.get(url).content.decode()


def test_a_replaced_agreement_is_gone_from_the_portal_and_the_new_one_is_offered(service):
    first = prepare(service)
    second = prepare(service)
    client = _client(service.parties["alice"])
    old_url = reverse("agreements:portal_sign", args=[service.case.pk, first.packet.pk])
    assert client.get(old_url).status_code == 404
    portal = client.get(reverse("portal:case", args=[service.case.pk])).content.decode()
    new_url = reverse("agreements:portal_sign", args=[service.case.pk, second.packet.pk])
    assert new_url in portal and old_url not in portal


def test_other_documents_to_sign_are_offered_on_the_portal_panel(service):
    from accord.agreements import services

    packet = services.signing_packet_create(
        actor=service.mediator,
        case=service.case,
        purpose="outcome",
        title="Parenting Plan",
        text="We agree.",
        signers=[party(service)],
    )
    url = reverse("agreements:portal_sign", args=[service.case.pk, packet.pk])
    alice = _client(service.parties["alice"]).get(reverse("portal:case", args=[service.case.pk]))
    assert "Parenting Plan - please read and sign" in alice.content.decode()
    assert url in alice.content.decode()
    bob = _client(service.parties["bob"]).get(reverse("portal:case", args=[service.case.pk]))
    assert url not in bob.content.decode()
    assert _client(service.parties["bob"]).get(url).status_code == 404
