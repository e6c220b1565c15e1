"""Money and property: financial disclosure by the Form E parts, evidence and sharing."""

from django.apps import AppConfig


class FinanceConfig(AppConfig):
    """Registers the financial disclosure part (family finance and all-issues cases)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accord.finance"
    label = "finance"
    verbose_name = "Money and property"

    def ready(self) -> None:
        from accord.documents import builtin
        from accord.finance import part  # noqa: F401  (registers the part)

        builtin.register(
            code="open-financial-statement",
            name="Open Financial Statement",
            kind="html",
            version=1,
            template_name="finance/documents/open_financial_statement.html",
        )
        builtin.register(
            code="consent-pack",
            name="Consent-order pack: D81 information and covering letter",
            kind="html",
            version=1,
            template_name="finance/documents/consent_pack.html",
        )
        builtin.register(
            code="consent-order-outline",
            name="Draft consent order outline (Word)",
            kind="docx",
            version=1,
            template_name="accord.finance:docx/consent_order_outline.docx",
        )
        builtin.register(
            code="open-financial-statement",
            name="Open Financial Statement (Word)",
            kind="docx",
            version=1,
            template_name="accord.finance:docx/open_financial_statement.docx",
        )
