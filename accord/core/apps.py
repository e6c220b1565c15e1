from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_cache_table(*, using: str, **kwargs: Any) -> None:
    """`migrate` also creates the shared database cache's table, so no step can be forgotten."""
    from django.conf import settings
    from django.core.management import call_command

    backends = {cache["BACKEND"] for cache in settings.CACHES.values()}
    if "django.core.cache.backends.db.DatabaseCache" in backends:
        call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "accord.core"
    label = "core"
    verbose_name = "Accord core"

    def ready(self) -> None:
        from accord.core import lookups  # noqa: F401  (registers field__any)

        post_migrate.connect(_create_cache_table, sender=self)
