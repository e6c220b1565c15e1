"""Downloads go through the policy: who gets the file, who gets 404, and the headers."""

from __future__ import annotations

import hashlib

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.static import serve as static_serve

from accord.cases.models import Participant
from accord.cases.workspace import section_url
from accord.documents import services
from accord.documents.models import DocumentShare


@pytest.fixture
def shared_version(service, letter_template):
    """A letter on the family case, shared with Alice only."""
    version = services.document_render_pdf(
        actor=service.mediator,
        case=service.case,
        template_code="test-letter",
        context={"recipient": "Alice Green", "meeting_date": "3 December 2026"},
        title="Invitation letter",
    )
    alice = Participant.objects.get(case=service.case, user=service.parties["alice"])
    services.document_share(actor=service.mediator, version=version, participants=[alice])
    return version


def _all_callbacks(patterns):
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found.extend(_all_callbacks(pattern.url_patterns))
        elif isinstance(pattern, URLPattern):
            found.append(pattern.callback)
    return found


def _url(version):
    return reverse("documents:download", args=[version.pk])


def _body(response):
    return b"".join(response.streaming_content)


def test_lead_mediator_downloads_with_safe_headers(client, service, shared_version):
    client.force_login(service.mediator)
    response = client.get(_url(shared_version))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="invitation-letter-v1.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert hashlib.sha256(_body(response)).hexdigest() == shared_version.sha256
    assert DocumentShare.objects.get().first_opened_at is None


def test_shared_party_downloads_and_first_opening_is_recorded(client, service, shared_version):
    client.force_login(service.parties["alice"])
    response = client.get(_url(shared_version))
    assert response.status_code == 200
    assert _body(response).startswith(b"%PDF")
    assert DocumentShare.objects.get().first_opened_at is not None


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_parties_it_was_not_shared_with_get_404(client, service, shared_version, who):
    client.force_login(service.parties[who])
    assert client.get(_url(shared_version)).status_code == 404
    assert DocumentShare.objects.get().first_opened_at is None


def test_another_service_gets_404(client, service, other_service, shared_version):
    client.force_login(other_service.admin)
    assert client.get(_url(shared_version)).status_code == 404


def test_a_missing_version_gets_404(client, service, shared_version):
    client.force_login(service.mediator)
    assert (
        client.get(reverse("documents:download", args=[shared_version.pk + 999])).status_code == 404
    )


def test_anonymous_visitors_are_sent_to_sign_in(client, shared_version):
    response = client.get(_url(shared_version))
    assert response.status_code == 302
    assert reverse(settings.LOGIN_URL) in response["Location"]


def test_no_public_media_url_serves_documents(client, service, shared_version):
    callbacks = _all_callbacks(get_resolver().url_patterns)
    assert callbacks
    assert static_serve not in callbacks
    client.force_login(service.mediator)
    assert client.get("/" + shared_version.content.name).status_code == 404
    assert client.get("/media/" + shared_version.content.name).status_code == 404


def test_staff_workspace_lists_the_documents(client, service, shared_version):
    client.force_login(service.mediator)
    response = client.get(section_url(service.case.pk, "documents"))
    assert response.status_code == 200
    assert "Invitation letter" in response.text
    assert _url(shared_version) in response.text


def test_portal_lists_only_what_was_shared_with_the_participant(client, service, shared_version):
    client.force_login(service.parties["alice"])
    page = client.get(reverse("portal:case", args=[service.case.pk]))
    assert page.status_code == 200
    assert _url(shared_version) in page.text
    client.force_login(service.parties["bob"])
    page = client.get(reverse("portal:case", args=[service.case.pk]))
    assert page.status_code == 200
    assert "Nothing has been shared with you yet." in page.text
    assert _url(shared_version) not in page.text
