"""The children of a family case, child-inclusive mediation, schedules and maintenance."""

from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    """Registers the children parts (family child cases) and the child meeting diary source."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accord.children"
    label = "children"
    verbose_name = "Children"

    def ready(self) -> None:
        from accord.children import part  # noqa: F401  (registers the parts)
        from accord.children.appointments import child_meeting_appointments
        from accord.meetings.appointments import register_appointment_source

        register_appointment_source(child_meeting_appointments)
