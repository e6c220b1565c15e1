"""Routes of the agreements app (mounted at the site root: paths here are complete)."""

from django.urls import URLPattern, URLResolver

app_name = "agreements"
urlpatterns: list[URLPattern | URLResolver] = []
