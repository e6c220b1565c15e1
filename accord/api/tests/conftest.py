"""Helpers for API tests: clients signed in by token or session, and a database snapshot."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from accord.accounts.models import ApiToken
from accord.accounts.services import api_token_create
from accord.audit.models import AuditEvent
from accord.cases.models import Case, Participant

API = "/api/v1"


class ApiClient:
    """A test client that speaks JSON to the API as one person (or nobody)."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(API + path, params)

    def post(self, path: str, data: Any = None) -> Any:
        return self.client.post(API + path, json.dumps(data), content_type="application/json")

    def patch(self, path: str, data: Any = None) -> Any:
        return self.client.patch(API + path, json.dumps(data), content_type="application/json")

    def put(self, path: str, data: Any = None) -> Any:
        return self.client.put(API + path, json.dumps(data), content_type="application/json")

    def delete(self, path: str) -> Any:
        return self.client.delete(API + path)

    def post_raw(self, path: str, body: str) -> Any:
        return self.client.post(API + path, body, content_type="application/json")


def token_client(user: Any) -> ApiClient:
    """A client sending a fresh personal token of this user as a Bearer token.

    A party's services are first set to let parties make tokens (off by default).
    """
    from accord.organisations.models import Organisation

    party_services = Participant.objects.filter(user=user).values("organisation_id")
    Organisation.objects.filter(pk__in=party_services).update(party_api_tokens=True)
    _, secret = api_token_create(user=user, name="test")
    return ApiClient(Client(headers={"Authorization": f"Bearer {secret}"}))


def session_client(user: Any, *, enforce_csrf_checks: bool = False) -> ApiClient:
    """A client signed in to a browser session as this user."""
    client = Client(enforce_csrf_checks=enforce_csrf_checks)
    client.force_login(user)
    return ApiClient(client)


def snapshot() -> dict[str, Any]:
    """Everything a denied write must leave untouched: cases, participants, audit, tokens.

    A token's last-used time is left out: authenticating the refused request records it.
    """
    fields = [f.name for f in ApiToken._meta.concrete_fields if f.name != "last_used_at"]
    tokens = list(ApiToken.objects.order_by("pk").values(*fields))
    return {
        "cases": list(Case.objects.order_by("pk").values()),
        "participants": list(Participant.objects.order_by("pk").values()),
        "audit_events": AuditEvent.objects.count(),
        "tokens": tokens,
    }


@pytest.fixture
def anonymous() -> ApiClient:
    """A client with no session and no token."""
    return ApiClient(Client())


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; API tests sign in by token or force_login, never by password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _sessions_ready(sessions_ready):
    """The service's cases have their MIAMs held and a joint suitability decision (see
    accord/conftest.py); tests of the gate itself are marked ``no_suitability``."""
