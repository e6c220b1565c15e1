"""Portal routes for participants."""

from django.urls import path

from accord.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
]
