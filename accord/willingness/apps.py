"""Inviting the other party and recording their answer (DOMAIN.md 2.1 step 2)."""

from django.apps import AppConfig


class WillingnessConfig(AppConfig):
    """Registers the willingness app and its built-in invitation letter."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accord.willingness"
    label = "willingness"
    verbose_name = "Willingness"

    def ready(self) -> None:
        from accord.documents import builtin

        # The invitation letter ships with the code; a service may override it with its own row.
        builtin.register(
            code="willingness-letter",
            name="Invitation to consider mediation (letter)",
            kind="html",
            version=1,
            template_name="willingness/documents/invitation_letter.html",
        )
