"""Enquiry pages: public forms per service, the staff form and the conflict decision."""

from django.urls import path

from accord.intake import views

app_name = "intake"
urlpatterns = [
    path("enquire/", views.public_landing, name="landing"),
    path("enquire/<slug:slug>/", views.public_enquiry, name="public"),
    path("enquire/<slug:slug>/thanks/", views.public_enquiry_thanks, name="thanks"),
    path("enquire/<slug:slug>/<slug:form_code>/", views.public_enquiry, name="public_form"),
    path("enquiries/new/", views.staff_enquiry, name="staff_new"),
    path("enquiries/new/<slug:form_code>/", views.staff_enquiry, name="staff_new_form"),
    path("cases/<int:case_pk>/conflict-check/", views.conflict_decision, name="conflict_decision"),
    path("cases/<int:case_pk>/conflict-check/run/", views.conflict_rerun, name="conflict_rerun"),
]
