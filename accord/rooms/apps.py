"""The joint room and each party's private room, with relayed messages."""

from django.apps import AppConfig


class RoomsConfig(AppConfig):
    """Registers the rooms app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accord.rooms"
    label = "rooms"
    verbose_name = "Rooms"
