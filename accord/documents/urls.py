"""Routes of the documents app."""

from django.urls import path

from accord.documents import views

app_name = "documents"

urlpatterns = [
    path("<int:version_id>/download/", views.download, name="download"),
]
