"""Routes of the SEND app (mounted at the site root: paths here are complete)."""

from django.urls import URLPattern, URLResolver, path

from accord.send import views

app_name = "send"
_CASE = "cases/<int:case_pk>/send/"
urlpatterns: list[URLPattern | URLResolver] = [
    path(_CASE, views.case_page, name="case"),
    path(f"{_CASE}decision/", views.preliminary, name="preliminary"),
    path(f"{_CASE}choice/", views.choice, name="choice"),
    path(f"{_CASE}health-notified/", views.health_notified, name="health_notified"),
    path(f"{_CASE}not-arranged/", views.not_arranged, name="not_arranged"),
    path(f"{_CASE}short-notice/", views.consent, name="consent"),
    path(f"{_CASE}attendees/add/", views.attendee, name="attendee"),
    path(f"{_CASE}attendees/<int:attendee_pk>/terms/", views.terms, name="terms"),
    path(f"{_CASE}calls/add/", views.call, name="call"),
    path(f"{_CASE}preparation/", views.preparation, name="preparation"),
    path(f"{_CASE}permission/", views.permission, name="permission"),
    path(f"{_CASE}permission/sign/", views.permission_request, name="permission_request"),
    path(f"{_CASE}stop/", views.stop, name="stop"),
    path(f"{_CASE}actions/add/", views.action_add, name="action_add"),
    path(f"{_CASE}actions/<int:action_pk>/done/", views.action_done, name="action_done"),
    path(f"{_CASE}outcome/", views.outcome, name="outcome"),
    path(f"{_CASE}certificate/", views.certificate, name="certificate"),
    path("send/report/", views.report, name="report"),
    path("send/report/chart.svg", views.report_chart, name="report_chart"),
    path("send/report.csv", views.report_csv, name="report_csv"),
]
