"""Joint and shuttle sessions, attendance, notes; pausing, ending or reopening a mediation."""

from django.apps import AppConfig


class MediationConfig(AppConfig):
    """Registers the mediation app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accord.mediation"
    label = "mediation"
    verbose_name = "Mediation sessions"
