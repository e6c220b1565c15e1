"""Routes of the pre-mediation app (mounted at the site root: paths here are complete)."""

from django.urls import URLPattern, URLResolver, path

from accord.premediation import views

app_name = "premediation"
urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/<int:case_pk>/premediation/", views.meetings_page, name="case"),
    path("cases/<int:case_pk>/premediation/book/", views.meeting_book, name="book"),
    path(
        "cases/<int:case_pk>/premediation/<int:meeting_pk>/notes/",
        views.meeting_notes,
        name="notes",
    ),
    path(
        "cases/<int:case_pk>/premediation/<int:meeting_pk>/move/",
        views.meeting_move,
        name="move",
    ),
    path(
        "cases/<int:case_pk>/premediation/<int:meeting_pk>/cancel/",
        views.meeting_cancel,
        name="cancel",
    ),
    path(
        "cases/<int:case_pk>/premediation/<int:meeting_pk>/did-not-attend/",
        views.meeting_did_not_attend,
        name="did_not_attend",
    ),
    path(
        "cases/<int:case_pk>/premediation/<int:meeting_pk>/calendar.ics",
        views.meeting_calendar,
        name="calendar",
    ),
]
