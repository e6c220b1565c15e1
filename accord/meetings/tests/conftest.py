"""Fixtures for the MIAM tests: produced documents go to a temporary folder."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def document_storage(settings, tmp_path):
    """Keep produced files (MIAM certificates) out of the real data folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }
    return tmp_path / "files"
