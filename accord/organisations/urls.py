"""Routes of the organisations app."""

from django.urls import path

from accord.organisations import views

app_name = "organisations"
urlpatterns = [
    path("service/", views.service_settings, name="settings"),
    path("service/kinds/", views.kinds_offered, name="kinds_offered"),
    path("service/api-tokens/", views.party_api_tokens, name="party_api_tokens"),
    path("service/staff/", views.staff_page, name="staff"),
    path("service/staff/invite/", views.staff_invite, name="staff_invite"),
    path("service/staff/<int:user_id>/roles/", views.staff_roles, name="staff_roles"),
    path("service/staff/<int:user_id>/suspend/", views.staff_suspend, name="staff_suspend"),
    path("service/staff/<int:user_id>/reinstate/", views.staff_reinstate, name="staff_reinstate"),
    path("service/staff/<int:user_id>/remove/", views.staff_remove, name="staff_remove"),
    path(
        "service/staff/invitations/<int:pk>/resend/",
        views.staff_invitation_resend,
        name="staff_invitation_resend",
    ),
    path(
        "service/staff/invitations/<int:pk>/withdraw/",
        views.staff_invitation_withdraw,
        name="staff_invitation_withdraw",
    ),
]
