"""Inviting the other party and recording their answer (DOMAIN.md 2.1 step 2)."""

from django.apps import AppConfig


class WillingnessConfig(AppConfig):
    """Registers the willingness app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accord.willingness"
    label = "willingness"
    verbose_name = "Willingness"
