"""Routes of the outcomes app (mounted at the site root: paths here are complete)."""

from django.urls import URLPattern, URLResolver

app_name = "outcomes"
urlpatterns: list[URLPattern | URLResolver] = []
