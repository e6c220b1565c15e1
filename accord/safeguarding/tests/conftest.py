"""Fixtures for the safeguarding tests."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from accord.safeguarding.tests.helpers import Clock


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """A clock that starts at the real now; every `timezone.now()` call reads it."""
    fake = Clock(timezone.now())
    monkeypatch.setattr(timezone, "now", fake)
    return fake


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """Argon2 is deliberately slow; these tests build many users, so hash with MD5 instead."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
