from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "accord.meetings"
    label = "meetings"
    verbose_name = "MIAMs and screening"

    def ready(self) -> None:
        from accord.documents import builtin

        # The MIAM certificate ships with the code; a service may override it with its own row.
        builtin.register(
            code="miam-certificate",
            name="MIAM certificate",
            kind="html",
            version=1,
            template_name="meetings/documents/miam_certificate.html",
        )
