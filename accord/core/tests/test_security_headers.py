"""Every response carries the Content-Security-Policy and the Permissions-Policy: pages, the API,
error pages and the public pages alike."""

from __future__ import annotations

import pytest
from django.test import Client

from accord.accounts.services import api_token_create

DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def _assert_headers(response) -> None:
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    for name, value in DIRECTIVES.items():
        assert directives[name] == value, (name, policy)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    permissions = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/no-such-page/", "/healthz"])
def test_public_pages_and_errors_carry_the_policies(client, path):
    response = client.get(path)
    # /healthz answers 503 here: no worker has beaten in a test database.
    assert response.status_code in ({200, 503} if path == "/healthz" else {200, 302, 404})
    _assert_headers(response)


def test_signed_in_pages_carry_the_policies(service):
    client = Client()
    client.force_login(service.parties["alice"])
    for path in ("/portal/", f"/portal/cases/{service.case.pk}/", f"/cases/{service.case.pk}/"):
        response = client.get(path)
        assert response.status_code in {200, 404}, path
        _assert_headers(response)


def test_api_answers_and_api_errors_carry_the_policies(service):
    _, secret = api_token_create(user=service.mediator, name="headers")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    for path, status in (("/api/v1/cases", 200), ("/api/v1/cases/999999", 404)):
        response = client.get(path)
        assert response.status_code == status, path
        _assert_headers(response)
    _assert_headers(Client().get("/api/v1/cases"))


def test_a_server_error_page_carries_the_policies(service, settings):
    from django.urls import path

    def broken(request):
        raise RuntimeError("boom")

    settings.ROOT_URLCONF = type(
        "Urls", (), {"urlpatterns": [path("broken/", broken)], "handler500": None}
    )
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    _assert_headers(response)


def test_the_base_page_turns_off_htmx_injected_styles(service):
    client = Client()
    client.force_login(service.parties["alice"])
    html = client.get("/portal/").content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in html
    assert "<script>" not in html and " style=" not in html and " onclick=" not in html


def test_a_request_refused_as_too_large_carries_the_policies(client):
    from django.conf import settings

    for path in ("/accounts/login/", "/api/v1/cases"):
        response = client.post(
            path,
            "x",
            content_type="application/x-www-form-urlencoded",
            CONTENT_LENGTH=str(settings.ACCORD_MAX_REQUEST_BYTES + 1),
        )
        assert response.status_code == 413, path
        _assert_headers(response)
