"""Staff pages for deadlines."""

from django.urls import path

from accord.deadlines import views

app_name = "deadlines"
urlpatterns = [
    path("calendar/", views.calendar_month, name="calendar"),
    path("settings/", views.service_settings, name="settings"),
    path("settings/days/<int:pk>/remove/", views.closure_remove, name="closure_remove"),
    path("cases/<int:case_id>/new/", views.deadline_add, name="add"),
    path("<int:pk>/meet/", views.deadline_meet, name="meet"),
    path("<int:pk>/waive/", views.deadline_waive, name="waive"),
]
