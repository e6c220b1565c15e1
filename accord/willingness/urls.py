"""Routes of the willingness app (mounted at the site root: paths here are complete)."""

from django.urls import URLPattern, URLResolver, path

from accord.willingness import views

app_name = "willingness"
urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/<int:case_pk>/willingness/invite/", views.invite, name="invite"),
    path(
        "cases/<int:case_pk>/willingness/<int:invitation_pk>/withdraw/",
        views.withdraw,
        name="withdraw",
    ),
    path(
        "cases/<int:case_pk>/willingness/contact-attempts/new/",
        views.contact_attempt,
        name="contact_attempt",
    ),
    path(
        "cases/<int:case_pk>/willingness/court-orders/new/",
        views.court_order,
        name="court_order",
    ),
    path("respond/", views.respond_start, name="respond_start"),
    path("respond/<str:secret>/", views.respond, name="respond"),
]
