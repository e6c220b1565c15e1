"""Pre-mediation meetings: the mediator meets each party alone before the joint session."""

from django.apps import AppConfig


class PremediationConfig(AppConfig):
    """Registers the pre-mediation part (civil, workplace, community) and its diary source."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accord.premediation"
    label = "premediation"
    verbose_name = "Pre-mediation meetings"

    def ready(self) -> None:
        from accord.deadlines.relevance import register_relevance_check
        from accord.meetings.appointments import register_appointment_source
        from accord.premediation import part  # noqa: F401  (registers the part)
        from accord.premediation.appointments import premediation_appointments

        # In the diary and in every booking's clash check, like MIAMs and sessions.
        register_appointment_source(premediation_appointments)
        from accord.premediation.services import premediation_email_still_relevant

        register_relevance_check("premediation", premediation_email_still_relevant)
