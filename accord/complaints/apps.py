"""Complaints: the service's complaints log, its targets, and the FMSB window."""

from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    """Registers its audit sentences. Complaints are the service's, not a part of the case:
    a case part would tell the case team (the mediator complained about) that one exists."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accord.complaints"
    label = "complaints"
    verbose_name = "Complaints"

    def ready(self) -> None:
        from accord.complaints import timeline  # noqa: F401  (registers the sentences)
