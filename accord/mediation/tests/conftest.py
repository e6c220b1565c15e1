"""Fixtures for the mediation tests: the Agreement to Mediate gate stands open unless a test
closes it (the agreements app owns the real gate; see test_gate.py)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def agreement_signed(monkeypatch: Any, request: Any) -> None:
    """Everyone required has signed, unless the test asks for the `real_gate` fixture."""
    if "real_gate" in request.fixturenames:
        return
    monkeypatch.setattr("accord.agreements.gate.ensure_agreement_signed", lambda case: None)
    monkeypatch.setattr("accord.agreements.gate.unsigned_required", lambda case: [])


@pytest.fixture
def real_gate() -> None:
    """Leave the agreements app's own gate in place for this test."""


@pytest.fixture(autouse=True)
def _sessions_ready(sessions_ready):
    """The service's cases have their MIAMs held and a joint suitability decision (see
    accord/conftest.py); tests of the gate itself are marked ``no_suitability``."""
