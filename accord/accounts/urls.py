"""Account routes: invitation links, account settings and personal API tokens."""

from django.urls import path

from accord.accounts import views

app_name = "accounts"
urlpatterns = [
    path("invite/<str:secret>/", views.invitation, name="invitation"),
    path("account/", views.account_settings, name="settings"),
    path("account/tokens/", views.token_create, name="token_create"),
    path("account/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    # Listed before allauth's routes in the root URLconf, so this replaces its email page.
    path("accounts/email/", views.email_managed_by_service, name="email"),
]
