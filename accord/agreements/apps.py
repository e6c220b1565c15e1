"""Agreements to Mediate: templates per case kind and online signing."""

from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    """Registers the agreements app and its built-in PDF template."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accord.agreements"
    label = "agreements"
    verbose_name = "Agreements to Mediate"

    def ready(self) -> None:
        from accord.agreements.services import signing_email_still_relevant
        from accord.deadlines.relevance import register_relevance_check
        from accord.documents import builtin

        register_relevance_check("agreements.to_sign", signing_email_still_relevant)

        builtin.register(
            code="agreement-to-mediate",
            name="Agreement to Mediate (or other signed document) with signing certificate",
            kind="html",
            version=1,
            template_name="agreements/documents/agreement.html",
        )
