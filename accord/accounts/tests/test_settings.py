"""The account page: details, links to password and two-factor, and personal API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.accounts import services
from accord.accounts.models import ApiToken

SETTINGS = reverse("accounts:settings")
CREATE = reverse("accounts:token_create")


@pytest.fixture
def service(service):
    """These tests use a party's tokens, so the service lets its parties make them."""
    service.organisation.party_api_tokens = True
    service.organisation.save(update_fields=["party_api_tokens"])
    return service


def _secret_in(html: str) -> str:
    match = re.search(r'id="new-token-secret">(acc_[^<]+)<', html)
    assert match, "the new token's secret is not on the page"
    return match.group(1)


def test_the_account_page_needs_sign_in(client, db):
    response = client.get(SETTINGS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_account_page_shows_details_and_links(client, service):
    bob = service.parties["bob"]
    client.force_login(bob)
    response = client.get(SETTINGS)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bob Jones" in html and bob.email in html
    assert reverse("account_change_password") in html
    assert reverse("mfa_index") in html
    assert "You have no API tokens." in html
    assert response["Cache-Control"] == "no-store"


def test_creating_a_token_shows_the_secret_once_and_stores_only_its_hash(client, service):
    bob = service.parties["bob"]
    client.force_login(bob)
    response = client.post(CREATE, {"name": "Spreadsheet", "expires_on": ""})
    assert response.status_code == 200
    html = response.content.decode()
    secret = _secret_in(html)
    assert "You will not be able to see it again" in html

    token = ApiToken.objects.get(user=bob)
    assert token.name == "Spreadsheet"
    assert token.expires_at is not None  # 90 days unless chosen (test_token_lifetime)
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    row = ApiToken.objects.filter(pk=token.pk).values().first()
    assert row is not None
    assert secret not in [str(value) for value in row.values()]
    assert services.api_token_authenticate(secret) == bob

    again = client.get(SETTINGS).content.decode()
    assert secret not in again
    assert token.prefix in again
    assert "Spreadsheet" in again


def test_a_token_with_an_expiry_date_works_until_the_end_of_that_day(client, service):
    client.force_login(service.parties["bob"])
    last_day = timezone.localdate() + dt.timedelta(days=30)
    client.post(CREATE, {"name": "Short-lived", "expires_on": last_day.isoformat()})
    token = ApiToken.objects.get(name="Short-lived")
    assert token.expires_at is not None
    local = token.expires_at.astimezone(ZoneInfo("Europe/London"))
    assert local.date() == last_day
    assert (local.hour, local.minute) == (23, 59)


def test_bad_token_details_are_refused_with_clear_messages(client, service):
    client.force_login(service.parties["bob"])
    cases = [
        ({"name": "", "expires_on": ""}, "Enter a name for the token."),
        ({"name": "x" * 101, "expires_on": ""}, "The name must be 100 characters or fewer."),
        ({"name": "Old", "expires_on": "2020-01-01"}, "The expiry must be in the future."),
        ({"name": "Odd", "expires_on": "31/02/2027"}, "as a real date, like 5 12 2026."),
    ]
    for data, message in cases:
        html = client.post(CREATE, data).content.decode()
        assert "There is a problem" in html, data
        assert message in html, data
        assert 'id="new-token-secret"' not in html
    assert not ApiToken.objects.exists()


def test_revoking_a_token_stops_it_working(client, service):
    bob = service.parties["bob"]
    token, secret = services.api_token_create(user=bob, name="Old laptop")
    client.force_login(bob)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert services.api_token_authenticate(secret) is None
    html = client.get(SETTINGS).content.decode()
    assert "is revoked and no longer works" in html
    assert "Revoked" in html


def test_nobody_can_revoke_someone_elses_token(client, service):
    token, secret = services.api_token_create(user=service.parties["alice"], name="Alice's")
    client.force_login(service.parties["bob"])
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert services.api_token_authenticate(secret) == service.parties["alice"]
    assert "Alice&#x27;s" not in client.get(SETTINGS).content.decode()


def test_revoking_an_unknown_token_is_404(client, service):
    client.force_login(service.parties["bob"])
    assert client.post(reverse("accounts:token_revoke", args=[999999])).status_code == 404


def test_token_changes_must_be_posted(client, service):
    token, _ = services.api_token_create(user=service.parties["bob"], name="Kept")
    client.force_login(service.parties["bob"])
    assert client.get(reverse("accounts:token_revoke", args=[token.pk])).status_code == 405
    assert client.get(CREATE).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_changes_need_the_csrf_token(service):
    token, _ = services.api_token_create(user=service.parties["bob"], name="Kept")
    client = Client(enforce_csrf_checks=True)
    client.force_login(service.parties["bob"])
    assert client.post(CREATE, {"name": "Sneaky"}).status_code == 403
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
    assert not ApiToken.objects.filter(name="Sneaky").exists()
