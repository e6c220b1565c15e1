"""Written outcomes: Memorandum of Understanding, parenting plan and settlement agreements."""

from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    """Registers the outcomes app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accord.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes"
