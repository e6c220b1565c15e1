"""MIAM pages, under a case: /cases/<case_pk>/miams/..."""

from django.urls import path

from accord.meetings import views

app_name = "meetings"
urlpatterns = [
    path("new/", views.miam_book, name="book"),
    path("record-past/", views.miam_record_past, name="record_past"),
    path("<int:miam_pk>/move/", views.miam_move, name="move"),
    path("<int:miam_pk>/cancel/", views.miam_cancel, name="cancel"),
    path("<int:miam_pk>/did-not-attend/", views.miam_did_not_attend, name="did_not_attend"),
    path("<int:miam_pk>/calendar.ics", views.miam_calendar, name="calendar"),
    path("suitability/", views.suitability_decide, name="suitability"),
    path(
        "screening/<int:participant_pk>/again/",
        views.screening_repeat,
        name="screening_repeat",
    ),
    path("funding/", views.funding_list, name="funding"),
    path("funding/<int:participant_pk>/", views.funding_record, name="funding_record"),
    path("<int:miam_pk>/held/", views.miam_record_held, name="held"),
    path(
        "<int:miam_pk>/certificate/<int:participant_pk>/",
        views.miam_certificate_issue,
        name="certificate",
    ),
    path(
        "<int:miam_pk>/screening/<int:participant_pk>/",
        views.screening_edit,
        name="screening",
    ),
    path(
        "<int:miam_pk>/screening/<int:participant_pk>/concern/",
        views.screening_raise_concern,
        name="screening_concern",
    ),
]
