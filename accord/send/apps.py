"""SEND mediation end to end: statutory clocks, preparation, the meeting, outcome, certificate."""

from django.apps import AppConfig


class SendConfig(AppConfig):
    """Registers the SEND part, its checks on sessions and its documents."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accord.send"
    label = "send"
    verbose_name = "SEND mediation"

    def ready(self) -> None:
        from accord.documents import builtin
        from accord.mediation.hooks import register_session_check, register_session_ended
        from accord.send import part  # noqa: F401  (registers the part)
        from accord.send.checks import send_session_check, send_session_ended

        register_session_check(send_session_check)
        register_session_ended(send_session_ended)
        builtin.register(
            code="send-outcome",
            name="SEND Mediation Outcome",
            kind="html",
            version=1,
            template_name="send/documents/outcome.html",
        )
        builtin.register(
            code="send-certificate",
            name="SEND mediation certificate",
            kind="html",
            version=1,
            template_name="send/documents/certificate.html",
        )
