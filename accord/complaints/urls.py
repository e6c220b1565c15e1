"""Routes of the complaints app (mounted at the site root: paths here are complete)."""

from django.urls import URLPattern, URLResolver, path

from accord.complaints import views

app_name = "complaints"
urlpatterns: list[URLPattern | URLResolver] = [
    path("complaints/", views.complaint_list, name="list"),
    path("complaints/new/", views.complaint_log, name="log"),
    path("complaints/<int:pk>/", views.complaint_detail, name="detail"),
    path("complaints/<int:pk>/acknowledge/", views.complaint_acknowledge, name="acknowledge"),
    path("complaints/<int:pk>/respond/", views.complaint_respond, name="respond"),
    path("complaints/<int:pk>/consent/", views.complaint_consent, name="consent"),
    path("complaints/<int:pk>/share/", views.complaint_share, name="share"),
    path("portal/complaints/", views.portal_complaint_list, name="portal_list"),
    path("portal/cases/<int:case_pk>/complaint/", views.portal_complaint_new, name="portal_new"),
]
