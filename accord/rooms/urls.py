"""Routes of the rooms app (mounted at the site root: paths here are complete).

The same views serve staff under ``cases/<case>/rooms/`` and parties under
``portal/cases/<case>/rooms/``; the ``area`` argument says which, and each area admits only its
own people.
"""

from django.urls import URLPattern, URLResolver, path

from accord.rooms import views

app_name = "rooms"

_ROUTES = [
    ("", views.room_list, "rooms"),
    ("<int:room_pk>/", views.room_detail, "room"),
    ("<int:room_pk>/messages/", views.room_poll, "poll"),
    ("<int:room_pk>/messages/<int:message_pk>/edit/", views.message_edit, "edit"),
    ("<int:room_pk>/messages/<int:message_pk>/withdraw/", views.message_withdraw, "withdraw"),
    ("<int:room_pk>/messages/<int:message_pk>/mark/", views.message_mark, "mark"),
    ("<int:room_pk>/messages/<int:message_pk>/relay/", views.message_relay, "relay"),
    ("files/<int:attachment_pk>/", views.attachment_download, "file"),
]

_PREFIXES = {
    views.STAFF: "cases/<int:case_pk>/rooms/",
    views.PORTAL: "portal/cases/<int:case_pk>/rooms/",
}

urlpatterns: list[URLPattern | URLResolver] = [
    path(prefix + route, view, {"area": area}, name=f"{area}_{name}")
    for area, prefix in _PREFIXES.items()
    for route, view, name in _ROUTES
]
