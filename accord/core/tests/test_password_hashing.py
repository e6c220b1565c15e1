"""Passwords are stored with Argon2."""

import pytest
from django.contrib.auth.hashers import make_password


@pytest.mark.real_hashers
def test_new_passwords_are_hashed_with_argon2():
    assert make_password("a long enough password").startswith("argon2$")
