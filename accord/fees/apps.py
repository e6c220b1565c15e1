"""Fees, invoices, payments, legal aid means evidence and voucher claims."""

from django.apps import AppConfig


class FeesConfig(AppConfig):
    """Registers the fees and voucher parts and the invoice template."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accord.fees"
    label = "fees"
    verbose_name = "Fees and invoices"

    def ready(self) -> None:
        from accord.documents import builtin
        from accord.fees import part  # noqa: F401  (registers the parts)

        builtin.register(
            code="fees-invoice",
            name="Invoice or credit note",
            kind="html",
            version=1,
            template_name="fees/documents/invoice.html",
        )
