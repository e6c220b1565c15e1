"""Safeguarding pages, under a case: /cases/<case_pk>/safeguarding/..."""

from django.urls import path

from accord.safeguarding import views

app_name = "safeguarding"
urlpatterns = [
    path("", views.concern_index, name="index"),
    path("raise/", views.concern_raise, name="raise"),
    path("raised/", views.concern_raised, name="raised"),
    path("disclosures/new/", views.disclosure_record, name="disclosure"),
    path("pause/decision/", views.hold_decide, name="hold_decide"),
    path("concerns/<int:concern_pk>/", views.concern_detail, name="concern"),
    path("concerns/<int:concern_pk>/decision/", views.threshold_decide, name="decide"),
    path("concerns/<int:concern_pk>/self-referral/", views.self_referral_offer, name="offer"),
    path("concerns/<int:concern_pk>/referral/", views.referral_record, name="referral"),
    path(
        "concerns/<int:concern_pk>/investigation/", views.investigation_open, name="investigation"
    ),
    path("concerns/<int:concern_pk>/close/", views.concern_close, name="close"),
    path("referrals/<int:referral_pk>/confirm/", views.self_referral_confirm, name="confirm"),
]
