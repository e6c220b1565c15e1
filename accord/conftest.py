"""Fixtures shared by every app's tests."""

from __future__ import annotations

import pytest

from accord.testing.factories import build_service


@pytest.fixture
def service(db):
    """A mediation service with one person in each role and a few cases (see build_service)."""
    return build_service()


@pytest.fixture
def other_service(db):
    """A second, unrelated mediation service."""
    return build_service(name="Northern Mediation", slug="northern", prefix="NOR")
