"""MIAM pages, under a case: /cases/<case_pk>/miams/..."""

from django.urls import path

from accord.meetings import views

app_name = "meetings"
urlpatterns = [
    path("new/", views.miam_book, name="book"),
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
