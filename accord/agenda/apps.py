"""The agenda of a mediation: topics, their progress, options and agreed wording."""

from django.apps import AppConfig


class AgendaConfig(AppConfig):
    """Registers the agenda app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accord.agenda"
    label = "agenda"
    verbose_name = "Agenda"
