"""Agreements to Mediate: templates per case kind and online signing."""

from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    """Registers the agreements app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accord.agreements"
    label = "agreements"
    verbose_name = "Agreements to Mediate"
