"""Routes of the rooms app (mounted at the site root: paths here are complete)."""

from django.urls import URLPattern, URLResolver

app_name = "rooms"
urlpatterns: list[URLPattern | URLResolver] = []
