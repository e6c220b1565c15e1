"""Fixtures for portal tests: a clean cache and a fast password hasher."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # Argon2 takes about half a second per password; the service fixture makes nine.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits and used TOTP codes live in the cache and must not leak between tests.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _sessions_ready(sessions_ready):
    """The service's cases have their MIAMs held and a joint suitability decision (see
    accord/conftest.py); tests of the gate itself are marked ``no_suitability``."""
