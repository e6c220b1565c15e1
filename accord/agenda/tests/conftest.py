"""Fixtures for the agenda tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _sessions_ready(sessions_ready):
    """The service's cases have their MIAMs held and a joint suitability decision (see
    accord/conftest.py); tests of the gate itself are marked ``no_suitability``."""
