"""Routes of the fees part."""

from django.urls import path

from accord.fees import views

app_name = "fees"
urlpatterns = [
    path("service/fees/", views.schedule, name="schedule"),
    path("service/fees/<int:rate_pk>/end/", views.rate_end, name="rate_end"),
    path("service/fees/reports/", views.reports_page, name="reports"),
    path("service/fees/legal-aid-thresholds/", views.means_thresholds, name="thresholds"),
    path("cases/<int:case_pk>/fees/", views.case_fees, name="case"),
    path("cases/<int:case_pk>/fees/sharing/", views.sharing, name="sharing"),
    path("cases/<int:case_pk>/fees/raise/", views.raise_invoices, name="raise"),
    path("cases/<int:case_pk>/fees/means/", views.means, name="means"),
    path("cases/<int:case_pk>/fees/voucher/", views.voucher_reference, name="voucher"),
    path("cases/<int:case_pk>/invoices/<int:invoice_pk>/", views.invoice_detail, name="invoice"),
    path(
        "cases/<int:case_pk>/invoices/<int:invoice_pk>/issue/",
        views.invoice_issue,
        name="issue",
    ),
    path(
        "cases/<int:case_pk>/invoices/<int:invoice_pk>/discard/",
        views.invoice_discard,
        name="discard",
    ),
    path(
        "cases/<int:case_pk>/invoices/<int:invoice_pk>/credit/",
        views.credit_note,
        name="credit",
    ),
    path(
        "cases/<int:case_pk>/invoices/<int:invoice_pk>/payment/",
        views.payment,
        name="payment",
    ),
]
