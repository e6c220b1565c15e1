"""Routes of the mediation app (mounted at the site root: paths here are complete)."""

from django.urls import URLPattern, URLResolver, path

from accord.mediation import views

app_name = "mediation"
S = "cases/<int:case_pk>/sessions"
M = "cases/<int:case_pk>/mediation"
urlpatterns: list[URLPattern | URLResolver] = [
    path(f"{S}/new/", views.session_book, name="book"),
    path(f"{S}/<int:session_pk>/", views.session_detail, name="session"),
    path(f"{S}/<int:session_pk>/start/", views.session_start, name="start"),
    path(f"{S}/<int:session_pk>/attendance/", views.session_attendance, name="attendance"),
    path(f"{S}/<int:session_pk>/end/", views.session_end, name="end"),
    path(f"{S}/<int:session_pk>/cancel/", views.session_cancel, name="cancel"),
    path(f"{S}/<int:session_pk>/move/", views.session_move, name="move"),
    path(f"{S}/<int:session_pk>/calendar.ics", views.session_calendar, name="calendar"),
    path(f"{S}/<int:session_pk>/notes/new/", views.note_add, name="note_add"),
    path(f"{M}/pause/", views.mediation_pause, name="pause"),
    path(f"{M}/end/", views.mediation_end, name="mediation_end"),
    path(f"{M}/reopen/", views.mediation_reopen, name="reopen"),
    path(f"{M}/override/", views.suitability_override, name="override"),
]
