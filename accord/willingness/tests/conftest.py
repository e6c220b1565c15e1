"""Fixtures for the willingness tests: produced letters go to a temporary folder."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def document_storage(settings, tmp_path):
    """Keep produced letters out of the real data folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }
    return tmp_path / "files"


@pytest.fixture(autouse=True)
def site_url(settings):
    """Links in emails and letters start with a known address."""
    settings.ACCORD_SITE_URL = "https://accord.example"
