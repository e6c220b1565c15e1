"""Routes of the records app (mounted at the site root: paths here are complete)."""

from django.urls import URLPattern, URLResolver, path

from accord.records import views

app_name = "records"
urlpatterns: list[URLPattern | URLResolver] = [
    path("records/", views.hub, name="hub"),
    path("records/retention/", views.retention_page, name="retention"),
    path("records/retention/holds/new/", views.hold_place, name="hold_place"),
    path("records/retention/holds/<int:pk>/release/", views.hold_release, name="hold_release"),
    path("records/subject-access/", views.sar_list, name="sar_list"),
    path("records/subject-access/new/", views.sar_new, name="sar_new"),
    path("records/subject-access/<int:pk>/", views.sar_detail, name="sar_detail"),
    path("records/subject-access/<int:pk>/export/", views.sar_export, name="sar_export"),
    path("records/erasure/", views.erasure_list, name="erasure_list"),
    path("records/erasure/new/", views.erasure_new, name="erasure_new"),
    path("records/erasure/<int:pk>/", views.erasure_review, name="erasure_review"),
    path("records/statistics/", views.statistics_page, name="statistics"),
    path("records/statistics/statistics.csv", views.statistics_csv, name="statistics_csv"),
    path("records/statistics/<slug:slug>.svg", views.statistics_chart, name="statistics_chart"),
    path("portal/cases/<int:case_pk>/my-data/", views.portal_my_data, name="portal_my_data"),
]
