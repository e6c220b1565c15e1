"""Routes of the willingness app (mounted at the site root: paths here are complete)."""

from django.urls import URLPattern, URLResolver

app_name = "willingness"
urlpatterns: list[URLPattern | URLResolver] = []
