"""Routes of the HTTP API; the project mounts this module at /api/v1/."""

from django.urls import path

from accord.api.api import api

urlpatterns = [path("", api.urls)]
