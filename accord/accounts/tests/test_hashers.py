"""Argon2 with OWASP's parameters, and stored hashes upgraded at the next sign-in."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, identify_hasher, make_password
from django.urls import reverse

from accord.accounts.hashers import AccordArgon2PasswordHasher
from accord.accounts.models import User
from accord.testing.factories import TEST_PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.real_hashers]


def _params(encoded: str) -> str:
    # argon2$argon2id$v=19$m=19456,t=2,p=1$salt$hash
    return encoded.split("$")[3]


def test_new_passwords_use_owasps_argon2id_parameters():
    encoded = make_password("a long enough password")
    assert encoded.startswith("argon2$argon2id$")
    assert _params(encoded) == "m=19456,t=2,p=1"
    assert isinstance(identify_hasher(encoded), AccordArgon2PasswordHasher)


def test_a_hash_made_with_djangos_defaults_is_upgraded_at_the_next_sign_in(client):
    user = User.objects.create_user("old@example.com", None, full_name="Old Hash")
    old = Argon2PasswordHasher().encode(TEST_PASSWORD, Argon2PasswordHasher().salt())
    assert _params(old) == "m=102400,t=2,p=8"
    User.objects.filter(pk=user.pk).update(password=old)

    client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})

    user.refresh_from_db()
    assert client.session.get("_auth_user_id") == str(user.pk)
    assert _params(user.password) == "m=19456,t=2,p=1"
    assert user.check_password(TEST_PASSWORD)


def test_a_wrong_password_leaves_the_old_hash_alone(client):
    user = User.objects.create_user("old2@example.com", None, full_name="Old Hash")
    old = Argon2PasswordHasher().encode(TEST_PASSWORD, Argon2PasswordHasher().salt())
    User.objects.filter(pk=user.pk).update(password=old)
    client.post(reverse("account_login"), {"login": user.email, "password": "not the password"})
    user.refresh_from_db()
    assert user.password == old
