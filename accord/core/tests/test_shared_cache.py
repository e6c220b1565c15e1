"""The shared database cache's table is made by `migrate` itself, so no step can be forgotten."""

from __future__ import annotations

import secrets

import pytest
import redis
from django.apps import apps
from django.core.cache.backends.redis import RedisCache
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


def test_two_processes_share_the_redis_cache_when_redis_url_is_set():
    url = "redis://127.0.0.1:6379/0"
    first, second = RedisCache(url, {}), RedisCache(url, {})  # as two web processes build them
    key = f"accord-test-{secrets.token_hex(8)}"
    try:
        first.set(key, 3, timeout=30)
    except redis.exceptions.ConnectionError:
        pytest.skip("No Redis server on 127.0.0.1:6379.")

    assert second.incr(key) == 4
    assert first.get(key) == 4
    first.delete(key)
