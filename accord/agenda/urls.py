"""Routes of the agenda app (mounted at the site root: paths here are complete)."""

from django.urls import URLPattern, URLResolver

app_name = "agenda"
urlpatterns: list[URLPattern | URLResolver] = []
