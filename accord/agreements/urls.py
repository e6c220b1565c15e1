"""Routes of the agreements app (mounted at the site root: paths here are complete)."""

from django.urls import URLPattern, URLResolver, path

from accord.agreements import views

app_name = "agreements"
urlpatterns: list[URLPattern | URLResolver] = [
    path("service/agreement-templates/", views.template_list, name="templates"),
    path(
        "service/agreement-templates/<str:kind_group>/",
        views.template_history,
        name="template_history",
    ),
    path(
        "service/agreement-templates/<str:kind_group>/edit/",
        views.template_edit,
        name="template_edit",
    ),
    path(
        "service/agreement-templates/<str:kind_group>/v<int:version>/",
        views.template_version,
        name="template_version",
    ),
    path("cases/<int:case_pk>/agreement/", views.agreement_detail, name="detail"),
    path("cases/<int:case_pk>/agreement/prepare/", views.agreement_prepare, name="prepare"),
    path("cases/<int:case_pk>/agreement/wet-ink/", views.agreement_wet_ink, name="wet_ink"),
    path("cases/<int:case_pk>/agreement/pdf/", views.agreement_pdf, name="pdf"),
    path(
        "portal/cases/<int:case_pk>/sign/<int:packet_pk>/",
        views.portal_sign,
        name="portal_sign",
    ),
]
