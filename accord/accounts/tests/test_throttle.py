"""Wrong passwords slow down one account on one device; they never lock the owner out."""

from __future__ import annotations

import time
from unittest import mock

from django.test import Client
from django.urls import reverse

from accord.accounts import throttle
from accord.testing.factories import TEST_PASSWORD

LOGIN = reverse("account_login")
STRANGER = "203.0.113.7"
OWNER = "198.51.100.20"


def _sign_in(address: str, email: str, password: str = TEST_PASSWORD) -> tuple[Client, str]:
    client = Client(REMOTE_ADDR=address)
    response = client.post(LOGIN, {"login": email, "password": password})
    return client, response.content.decode() if response.status_code == 200 else ""


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_wait_grows_with_each_failure_and_is_capped():
    waits = [throttle.delay_after(n) for n in range(1, 12)]

    assert waits[:3] == [0, 0, 0]
    assert waits[3:7] == [30, 60, 120, 240]
    assert waits[-1] == 15 * 60
    assert waits == sorted(waits)


def test_a_stranger_guessing_does_not_keep_the_owner_out_on_her_own_device(service):
    bob = service.parties["bob"]
    for _ in range(10):
        _sign_in(STRANGER, bob.email, "guess")

    stranger, page = _sign_in(STRANGER, bob.email)
    owner, _ = _sign_in(OWNER, bob.email)

    assert not _signed_in(stranger)
    assert "Too many wrong passwords from this device" in page
    assert _signed_in(owner)


def test_after_the_wait_the_same_device_may_try_again(service):
    bob = service.parties["bob"]
    for _ in range(4):
        _sign_in(STRANGER, bob.email, "guess")
    refused, _ = _sign_in(STRANGER, bob.email)

    with mock.patch.object(throttle.time, "time", return_value=time.time() + 31):
        allowed, _ = _sign_in(STRANGER, bob.email)

    assert not _signed_in(refused)
    assert _signed_in(allowed)


def test_past_the_account_ceiling_only_a_device_used_before_may_sign_in(service, settings):
    settings.ACCORD_SIGNIN_ACCOUNT_CEILING = 5
    bob = service.parties["bob"]
    first, _ = _sign_in(OWNER, bob.email)
    assert _signed_in(first)
    for n in range(6):
        _sign_in(f"203.0.113.{n + 1}", bob.email, "guess")

    new_device, page = _sign_in("192.0.2.99", bob.email)
    own_device, _ = _sign_in(OWNER, bob.email)

    assert not _signed_in(new_device)
    assert "Reset your password to sign in now" in page
    assert _signed_in(own_device)


def test_one_address_guessing_many_accounts_hits_its_own_ceiling(service, settings):
    settings.ACCORD_SIGNIN_ADDRESS_CEILING = 3
    for name in ("alice", "bob", "carol"):
        _sign_in(STRANGER, service.parties[name].email, "guess")

    client, page = _sign_in(STRANGER, service.parties["alice"].email)

    assert not _signed_in(client)
    assert "Too many failed sign-ins from your network" in page


def test_a_throttled_person_can_always_ask_for_a_password_reset(service):
    bob = service.parties["bob"]
    for _ in range(8):
        _sign_in(STRANGER, bob.email, "guess")

    response = Client(REMOTE_ADDR=STRANGER).post(
        reverse("account_reset_password"), {"email": bob.email}
    )

    assert response.status_code == 302
