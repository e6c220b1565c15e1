"""URL routes: staff pages, portal, accounts, admin and the HTTP API."""

from django.contrib import admin
from django.urls import include, path

from accord.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("cases/", include("accord.cases.urls")),
    path("portal/", include("accord.portal.urls")),
    path("", include("accord.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("accord.api.urls")),
]
