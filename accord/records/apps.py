"""Records: retention, subject access, erasure on request, and service statistics."""

from django.apps import AppConfig


class RecordsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accord.records"
    label = "records"
    verbose_name = "Records and data protection"

    def ready(self) -> None:
        from accord.records import part, timeline  # noqa: F401  (registers them)
