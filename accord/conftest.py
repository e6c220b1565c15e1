"""Fixtures shared by every app's tests."""

from __future__ import annotations

import pytest

from accord.testing.factories import build_service

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings, request):
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher.

    Mark a test with ``@pytest.mark.real_hashers`` to keep the production setting.
    """
    if request.node.get_closest_marker("real_hashers") is None:
        settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def service(db):
    """A mediation service with one person in each role and a few cases (see build_service)."""
    return build_service()


@pytest.fixture
def other_service(db):
    """A second, unrelated mediation service."""
    return build_service(name="Northern Mediation", slug="northern", prefix="NOR")
