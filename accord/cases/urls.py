"""Staff pages for cases."""

from django.urls import path

from accord.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("new/", views.case_new, name="new"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/timeline/", views.case_timeline, name="timeline"),
    path("<int:pk>/stage/", views.case_move_stage, name="move_stage"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/team/", views.case_team, name="team"),
    path("<int:pk>/participants/new/", views.participant_add, name="participant_add"),
    path(
        "<int:pk>/participants/<int:participant_pk>/edit/",
        views.participant_edit,
        name="participant_edit",
    ),
    path(
        "<int:pk>/participants/<int:participant_pk>/invite/",
        views.participant_invite,
        name="participant_invite",
    ),
]
