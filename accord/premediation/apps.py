"""Pre-mediation meetings: the mediator meets each party alone before the joint session."""

from django.apps import AppConfig


class PremediationConfig(AppConfig):
    """Registers the pre-mediation part for civil, workplace and community cases."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accord.premediation"
    label = "premediation"
    verbose_name = "Pre-mediation meetings"

    def ready(self) -> None:
        from accord.premediation import part  # noqa: F401  (registers the part)
