"""Fixtures for the agreement tests: produced and uploaded files go to a temporary folder."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def document_storage(settings, tmp_path):
    """Keep produced files out of the real data folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }
    return tmp_path / "files"


@pytest.fixture(autouse=True)
def _sessions_ready(sessions_ready):
    """The service's cases have their MIAMs held and a joint suitability decision (see
    accord/conftest.py); tests of the gate itself are marked ``no_suitability``."""
