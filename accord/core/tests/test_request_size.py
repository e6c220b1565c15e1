"""Request bodies are limited before anything reads them."""

from __future__ import annotations

import json

from django.conf import settings


def test_a_page_post_over_the_limit_is_refused_with_413_before_it_is_read(client):
    response = client.post(
        "/accounts/login/",
        "x",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(settings.ACCORD_MAX_REQUEST_BYTES + 1),
    )

    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert "11 MB" in response.content.decode()


def test_an_attachment_of_10_mb_plus_the_form_fits_the_limit():
    assert settings.ACCORD_MAX_REQUEST_BYTES >= 10 * 1024 * 1024 + 64 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= settings.ACCORD_MAX_REQUEST_BYTES


def test_an_api_json_body_over_the_memory_limit_gets_a_json_413(client):
    response = client.post(
        "/api/v1/tokens",
        json.dumps({"name": "x"}),
        content_type="application/json",
        CONTENT_LENGTH=str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
    )

    assert response.status_code == 413
    assert response.json()["detail"].startswith("The request is too large")


def test_a_request_within_the_limit_passes(client, db):
    response = client.post("/accounts/login/", {"login": "a@example.com", "password": "wrong"})

    assert response.status_code == 200
