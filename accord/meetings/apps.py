from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "accord.meetings"
    label = "meetings"
    verbose_name = "MIAMs and screening"

    def ready(self) -> None:
        from accord.deadlines.relevance import register_relevance_check
        from accord.documents import builtin
        from accord.meetings.appointments import register_appointment_source
        from accord.meetings.services.miam_changes import (
            miam_appointments,
            miam_email_still_relevant,
        )

        register_relevance_check("miam", miam_email_still_relevant)
        register_appointment_source(miam_appointments)

        # The MIAM certificate ships with the code; a service may override it with its own row.
        builtin.register(
            code="miam-certificate",
            name="MIAM certificate",
            kind="html",
            version=1,
            template_name="meetings/documents/miam_certificate.html",
        )
