"""URL routes: staff pages, portal, accounts, admin and the HTTP API."""

from django.urls import include, path

from accord.core import views as core_views
from accord.core.admin_site import accord_admin_site
from accord.meetings import diary as meetings_diary

urlpatterns = [
    path("", core_views.home, name="home"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("healthz", core_views.healthz, name="healthz"),
    path("cases/", include("accord.cases.urls")),
    path("cases/<int:case_pk>/safeguarding/", include("accord.safeguarding.urls")),
    path("cases/<int:case_pk>/miams/", include("accord.meetings.urls")),
    path("diary/", meetings_diary.diary, name="diary"),
    path("deadlines/", include("accord.deadlines.urls")),
    path("queues/", include("accord.queues.urls")),
    path("portal/", include("accord.portal.urls")),
    path("", include("accord.intake.urls")),
    path("documents/", include("accord.documents.urls")),
    path("", include("accord.organisations.urls")),
    path("", include("accord.willingness.urls")),
    path("", include("accord.agreements.urls")),
    path("", include("accord.mediation.urls")),
    path("", include("accord.agenda.urls")),
    path("", include("accord.rooms.urls")),
    path("", include("accord.premediation.urls")),
    path("", include("accord.finance.urls")),
    path("", include("accord.children.urls")),
    path("", include("accord.outcomes.urls")),
    path("", include("accord.send.urls")),
    path("", include("accord.fees.urls")),
    path("", include("accord.complaints.urls")),
    path("", include("accord.records.urls")),
    path("", include("accord.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", accord_admin_site.urls),
    path("api/v1/", include("accord.api.urls")),
]
