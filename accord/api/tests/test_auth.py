"""Signing in to the API: personal tokens, the browser session with CSRF, and token management."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from accord.accounts.models import ApiToken
from accord.accounts.services import api_token_create
from accord.api.tests.conftest import ApiClient, session_client, snapshot, token_client
from accord.organisations.models import Role
from accord.testing.factories import staff_member

ENDPOINTS = [
    ("get", "/me"),
    ("get", "/tokens"),
    ("post", "/tokens"),
    ("delete", "/tokens/1"),
    ("get", "/cases"),
    ("get", "/cases/1"),
    ("post", "/cases/1/stage"),
    ("get", "/cases/1/participants"),
    ("post", "/cases/1/participants"),
    ("patch", "/participants/1"),
]


def bearer(secret: str) -> ApiClient:
    return ApiClient(Client(headers={"Authorization": f"Bearer {secret}"}))


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_every_endpoint_refuses_an_anonymous_caller_with_401(method, path, service, anonymous):
    before = snapshot()

    response = getattr(anonymous, method)(path, *([{}] if method in {"post", "patch"} else []))

    assert response.status_code == 401
    assert response.json()["detail"].startswith("Sign in, or send a personal API token")
    assert response.json()["errors"] == {}
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert snapshot() == before


def test_a_personal_token_authenticates_and_records_its_use(service):
    token, secret = api_token_create(user=service.mediator, name="Script")

    response = bearer(secret).get("/me")

    assert response.status_code == 200
    assert response.json()["email"] == service.mediator.email
    assert response.json()["auth_method"] == "token"
    assert response.json()["staff_roles"] == [
        {
            "service_id": service.organisation.pk,
            "service": service.organisation.name,
            "roles": [Role.MEDIATOR],
        }
    ]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_party_can_use_a_personal_token(service):
    response = token_client(service.parties["bob"]).get("/me")

    assert response.status_code == 200
    assert response.json()["is_staff_member"] is False
    assert response.json()["staff_roles"] == []


@pytest.mark.parametrize("state", ["revoked", "expired", "unknown", "not_ours", "user_inactive"])
def test_an_unusable_token_gets_401(state, service):
    token, secret = api_token_create(user=service.coordinator, name="Old")
    if state == "revoked":
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    elif state == "expired":
        ApiToken.objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - dt.timedelta(seconds=1)
        )
    elif state == "unknown":
        secret = secret[:-4] + "AAAA"
    elif state == "not_ours":
        secret = "ghp_notanaccordtoken"
    elif state == "user_inactive":
        type(service.coordinator).objects.filter(pk=service.coordinator.pk).update(is_active=False)

    response = bearer(secret).get("/cases")

    assert response.status_code == 401
    expected = {
        "revoked": "This API token was revoked",
        "expired": "This API token expired on ",
    }.get(state, "The API token is not valid: check that you copied all of it.")
    assert response.json()["detail"].startswith(expected)


def test_a_bad_token_is_refused_even_alongside_a_valid_session(service):
    client = Client(headers={"Authorization": "Bearer acc_wrong"})
    client.force_login(service.coordinator)

    response = ApiClient(client).get("/cases")

    assert response.status_code == 401


def test_staff_without_two_factor_are_refused_by_token_too(service):
    newcomer = staff_member(service.organisation, Role.COORDINATOR, mfa=False)
    _, secret = api_token_create(user=newcomer, name="Sneaky")

    by_token = bearer(secret).get("/cases")
    by_session = session_client(newcomer).get("/cases")

    assert by_token.status_code == 403
    assert by_token.json()["detail"] == "Set up two-factor authentication before using the API."
    assert by_session.status_code == 403


def test_session_auth_rejects_a_post_without_the_csrf_token(service):
    api = session_client(service.mediator, enforce_csrf_checks=True)
    before = snapshot()

    response = api.post(
        f"/cases/{service.case.pk}/stage", {"to_stage": "willingness", "reason": "Agreed."}
    )

    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF check failed.")
    assert snapshot() == before


def test_session_auth_accepts_a_post_with_the_csrf_token(service):
    api = session_client(service.mediator, enforce_csrf_checks=True)
    secret = "a" * 32  # a well-formed CSRF secret; Django compares cookie and header
    api.client.cookies["csrftoken"] = secret
    api.client.defaults["HTTP_X_CSRFTOKEN"] = secret

    response = api.post(
        f"/cases/{service.case.pk}/stage", {"to_stage": "willingness", "reason": "Agreed."}
    )

    assert response.status_code == 200
    assert response.json()["stage"] == "willingness"


def test_session_reads_need_no_csrf_token(service):
    response = session_client(service.mediator, enforce_csrf_checks=True).get("/cases")

    assert response.status_code == 200


def test_a_token_needs_no_csrf_token_even_with_a_session_cookie(service):
    _, secret = api_token_create(user=service.mediator, name="Script")
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {secret}"})
    client.force_login(service.mediator)

    response = ApiClient(client).post(
        f"/cases/{service.case.pk}/stage", {"to_stage": "willingness", "reason": "Agreed."}
    )

    assert response.status_code == 200


def test_creating_a_token_from_a_session_shows_the_secret_once(service):
    api = session_client(service.coordinator)

    created = api.post("/tokens", {"name": "Reporting"})
    listed = api.get("/tokens")

    assert created.status_code == 201
    assert created["Cache-Control"] == "no-store"
    secret = created.json()["secret"]
    assert secret.startswith("acc_")
    assert created.json()["token"]["name"] == "Reporting"
    assert created.json()["token"]["prefix"] == secret[:10]
    assert secret not in listed.content.decode()
    assert ApiToken.objects.get(user=service.coordinator).token_hash not in listed.content.decode()
    assert bearer(secret).get("/me").json()["auth_method"] == "token"


def test_a_token_cannot_create_another_token(service):
    api = token_client(service.coordinator)
    before = snapshot()

    response = api.post("/tokens", {"name": "Another"})

    assert response.status_code == 403
    assert "signed-in browser session" in response.json()["detail"]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({}, "name"),
        ({"name": "Old", "expires_at": "2020-01-01T00:00:00+00:00"}, "expires_at"),
        ({"name": "Naive", "expires_at": "2030-01-01T00:00:00"}, "expires_at"),
        ({"name": "Typo", "expire_at": "2030-01-01T00:00:00+00:00"}, "expire_at"),
    ],
)
def test_a_token_with_bad_details_is_refused_with_field_errors(body, field, service):
    api = session_client(service.coordinator)
    before = snapshot()

    response = api.post("/tokens", body)

    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert snapshot() == before


def test_the_token_list_shows_only_my_own_tokens(service):
    api_token_create(user=service.mediator, name="Someone else's")
    api = token_client(service.coordinator)

    tokens = api.get("/tokens").json()

    assert [token["name"] for token in tokens] == ["test"]


def test_revoking_my_token_stops_it_working(service):
    token, secret = api_token_create(user=service.coordinator, name="Laptop")
    api = session_client(service.coordinator)

    response = api.delete(f"/tokens/{token.pk}")

    assert response.status_code == 204
    assert bearer(secret).get("/me").status_code == 401
    assert api.get("/tokens").json()[0]["is_usable"] is False


def test_a_token_can_revoke_itself(service):
    token, secret = api_token_create(user=service.coordinator, name="Leaked")

    assert bearer(secret).delete(f"/tokens/{token.pk}").status_code == 204
    assert bearer(secret).get("/me").status_code == 401


def test_someone_elses_token_cannot_be_revoked(service):
    token, _ = api_token_create(user=service.mediator, name="Mine")
    api = token_client(service.coordinator)
    before = snapshot()

    response = api.delete(f"/tokens/{token.pk}")

    assert response.status_code == 404
    assert snapshot() == before
