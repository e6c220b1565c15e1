"""The shared database cache's table is made by `migrate` itself, so no step can be forgotten."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.db.models.signals import post_migrate

pytestmark = pytest.mark.django_db

DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "accord_shared_cache_probe",
    }
}


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def test_migrate_creates_the_database_cache_table(settings):
    settings.CACHES = DATABASE_CACHE
    assert "accord_shared_cache_probe" not in _tables()

    post_migrate.send(
        sender=apps.get_app_config("core"),
        app_config=apps.get_app_config("core"),
        verbosity=0,
        interactive=False,
        using="default",
        plan=[],
        apps=apps,
    )

    assert "accord_shared_cache_probe" in _tables()


def test_a_per_process_cache_needs_no_table(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    before = set(_tables())

    post_migrate.send(
        sender=apps.get_app_config("core"),
        app_config=apps.get_app_config("core"),
        verbosity=0,
        interactive=False,
        using="default",
        plan=[],
        apps=apps,
    )

    assert set(_tables()) == before
