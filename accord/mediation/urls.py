"""Routes of the mediation app (mounted at the site root: paths here are complete)."""

from django.urls import URLPattern, URLResolver

app_name = "mediation"
urlpatterns: list[URLPattern | URLResolver] = []
