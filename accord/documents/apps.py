"""The document pipeline: templates rendered to versioned, policy-guarded files."""

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Registers the documents app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accord.documents"
    verbose_name = "Documents"
