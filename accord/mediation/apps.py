"""Joint and shuttle sessions, attendance, notes; pausing, ending or reopening a mediation."""

from django.apps import AppConfig


class MediationConfig(AppConfig):
    """Registers the mediation app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accord.mediation"
    label = "mediation"
    verbose_name = "Mediation sessions"

    def ready(self) -> None:
        from accord.deadlines.relevance import register_relevance_check
        from accord.mediation.services import session_appointments, session_email_still_relevant
        from accord.meetings.appointments import register_appointment_source

        register_relevance_check("session", session_email_still_relevant)
        register_appointment_source(session_appointments)
