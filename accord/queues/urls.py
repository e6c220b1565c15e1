"""Work queue pages: /queues/<code>/."""

from django.urls import path

from accord.queues import views

app_name = "queues"
urlpatterns = [
    path("<slug:code>/", views.queue_detail, name="detail"),
]
