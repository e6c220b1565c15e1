"""Records tests: the service's cases are ready for sessions (rooms take messages)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }


@pytest.fixture(autouse=True)
def _sessions_ready(sessions_ready):
    """See accord/conftest.py."""
