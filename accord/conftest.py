"""Fixtures shared by every app's tests."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from accord.testing.factories import build_service

# Property tests check properties, not speed: on a shared or loaded machine (CI runs beside
# other work) Hypothesis's timing checks fail tests whose properties all hold. Tests may still
# set their own example counts; only the deadline and the "too slow" health check are relaxed.
hypothesis_settings.register_profile(
    "accord", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("accord")

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings, request):
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher.

    Mark a test with ``@pytest.mark.real_hashers`` to keep the production setting.
    """
    if request.node.get_closest_marker("real_hashers") is None:
        settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Give transactional tests the rows that data migrations seed (a flush removes them)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        from accord.testing.reference_data import reseed_reference_data

        reseed_reference_data()


@pytest.fixture
def service(db):
    """A mediation service with one person in each role and a few cases (see build_service)."""
    return build_service()


@pytest.fixture
def other_service(db):
    """A second, unrelated mediation service."""
    return build_service(name="Northern Mediation", slug="northern", prefix="NOR")


@pytest.fixture
def sessions_ready(request):
    """Make the `service` (and `other_service`) cases ready for sessions (`ready_for_sessions`).

    Apps whose tests book sessions use it autouse in their conftest; a test marked
    ``@pytest.mark.no_suitability`` keeps the cases as opened, to test the gate itself.
    """
    from accord.testing.factories import ready_for_sessions

    if request.node.get_closest_marker("no_suitability") is not None:
        return
    for name in ("service", "other_service"):
        if name in request.fixturenames:
            for case in request.getfixturevalue(name).cases.values():
                ready_for_sessions(case)
