"""Routes of the organisations app."""

from django.urls import path

from accord.organisations import views

app_name = "organisations"
urlpatterns = [
    path("service/", views.service_settings, name="settings"),
    path("service/kinds/", views.kinds_offered, name="kinds_offered"),
    path("service/api-tokens/", views.party_api_tokens, name="party_api_tokens"),
]
