"""Fees, invoices, payments, legal aid means evidence and voucher claims."""

from django.apps import AppConfig


class FeesConfig(AppConfig):
    """Registers the fees and voucher parts, the invoice template, the income figures of the
    statistics page and what erasing invoices means."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accord.fees"
    label = "fees"
    verbose_name = "Fees and invoices"

    def ready(self) -> None:
        from accord.documents import builtin
        from accord.fees import part  # noqa: F401  (registers the parts)
        from accord.fees.income import income_by_funding
        from accord.records import statistics

        builtin.register(
            code="fees-invoice",
            name="Invoice or credit note",
            kind="html",
            version=1,
            template_name="fees/documents/invoice.html",
        )
        if income_by_funding not in statistics.INCOME_SOURCES:
            statistics.INCOME_SOURCES.append(income_by_funding)
        register_erasure()


def register_erasure() -> None:
    """Invoices are kept for the statutory period (the retention schedule's "invoices"); once
    it is over, the sweep blanks what in them is about a person. Numbers, dates and amounts stay
    (the books and the statistics still add up); the party each belongs to is anonymised with
    the case file. The means assessment is the evidence behind a legal aid claim and is kept as
    long as the invoices. Issued invoice PDFs are immutable document versions, not erased here.
    """
    from accord.records.erasure import ERASED, Target, register_target

    for target in (
        Target("invoices", "fees.Invoice", "case_id", "participant_id", {"note": ""}),
        Target(
            "invoices",
            "fees.Payment",
            "invoice__case_id",
            "invoice__participant_id",
            {"reference": ""},
        ),
        Target(
            "invoices",
            "fees.MeansAssessment",
            "case_id",
            "participant_id",
            {
                "evidence_note": ERASED,
                "gross_monthly_income": None,
                "disposable_monthly_income": None,
                "disposable_capital": None,
                "reasons": [],
            },
        ),
    ):
        register_target(target)
