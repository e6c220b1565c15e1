"""Fixtures for account tests: a clean cache and a fast password hasher."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fast_hasher(settings, request):
    # Argon2 takes about half a second per password; the service fixture makes nine.
    # Tests marked real_hashers (test_hashers.py) keep the production setting.
    if request.node.get_closest_marker("real_hashers") is None:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits and used TOTP codes live in the cache and must not leak between tests.
    cache.clear()
    yield
    cache.clear()
