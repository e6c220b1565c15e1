"""Enquiry pages: public forms per service, the staff form and the conflict decision."""

from django.urls import path

from accord.intake import views

app_name = "intake"
urlpatterns = [
    path("enquire/<slug:slug>/", views.public_enquiry, name="public"),
    path("enquire/<slug:slug>/thanks/", views.public_enquiry_thanks, name="thanks"),
    path("enquiries/new/", views.staff_enquiry, name="staff_new"),
    path("cases/<int:case_pk>/conflict-check/", views.conflict_decision, name="conflict_decision"),
]
