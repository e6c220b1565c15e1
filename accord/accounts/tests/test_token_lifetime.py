"""API tokens expire, show their last use, and die with the password they were made under."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.account.adapter import get_adapter
from django.test import Client
from django.utils import timezone

from accord.accounts.models import ApiToken
from accord.accounts.services import api_token_authenticate, api_token_create
from accord.audit.models import AuditEvent
from accord.core.errors import ValidationFailed

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _parties_may_make_tokens(service):
    """These tests use a party's tokens: their service must have turned tokens on."""
    service.organisation.party_api_tokens = True
    service.organisation.save(update_fields=["party_api_tokens"])


def test_a_token_expires_after_90_days_by_default(service):
    token, _ = api_token_create(user=service.coordinator, name="Script")

    assert token.expires_at is not None
    days = (token.expires_at - timezone.now()).total_seconds() / 86400
    assert 89.9 < days <= 90


def test_a_token_cannot_be_made_to_work_for_more_than_a_year(service):
    with pytest.raises(ValidationFailed) as refused:
        api_token_create(
            user=service.coordinator,
            name="Forever",
            expires_at=timezone.now() + dt.timedelta(days=400),
        )

    assert "at most 366 days" in refused.value.field_errors["expires_at"][0]
    assert not ApiToken.objects.filter(name="Forever").exists()


def test_the_owner_sees_expiry_and_last_use_on_the_account_page(service):
    token, secret = api_token_create(user=service.parties["bob"], name="Reporting")
    api_token_authenticate(secret)
    client = Client()
    client.force_login(service.parties["bob"])

    page = client.get("/account/").content.decode()

    token.refresh_from_db()
    assert token.last_used_at is not None
    assert f"End of {timezone.localtime(token.expires_at):%-d %b %Y}" in page
    assert f"{timezone.localtime(token.last_used_at):%-d %b %Y, %H:%M}" in page


def test_changing_the_password_revokes_every_token(service):
    bob = service.parties["bob"]
    bob.set_password(PASSWORD)
    bob.save()
    api_token_create(user=bob, name="One")
    _, secret = api_token_create(user=bob, name="Two")
    client = Client()
    client.force_login(bob)

    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "a quite different passphrase",
            "password2": "a quite different passphrase",
        },
    )

    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=bob, revoked_at=None).exists()
    assert api_token_authenticate(secret) is None
    event = AuditEvent.objects.get(action="api_token.revoked_all")
    assert event.details == {"count": 2, "reason": "password_changed"}


def test_a_password_reset_revokes_every_token(service):
    bob = service.parties["bob"]
    _, secret = api_token_create(user=bob, name="Phone")

    get_adapter().set_password(bob, "a brand new passphrase")

    assert api_token_authenticate(secret) is None
    assert ApiToken.objects.get(user=bob).revoked_at is not None


def test_a_revoked_token_is_told_why(service, client):
    bob = service.parties["bob"]
    _, secret = api_token_create(user=bob, name="Phone")
    get_adapter().set_password(bob, "a brand new passphrase")

    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})

    assert response.status_code == 401
    assert "password change or reset revokes every token" in response.json()["detail"]
