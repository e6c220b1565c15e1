"""Fees: the service's dated fee schedule, how a case shares its fees, invoices and credit notes
numbered per service without gaps, payments, legal aid means evidence and voucher references."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from accord.core.models import TimeStampedModel

#: The largest amount any fee, invoice or payment may be (refuses absurd sizes).
MAX_AMOUNT = Decimal("100000.00")


class FeeItem(models.TextChoices):
    """What a fee is charged for."""

    MIAM = "miam", "MIAM (per party)"
    SESSION_HOUR = "session_hour", "Session, per hour"
    SESSION = "session", "Session, per session"
    DOCUMENT = "document", "Written outcome issued (per document)"
    CANCELLATION = "cancellation", "Missed appointment (per party)"


class FeeRate(TimeStampedModel):
    """One dated row of a service's fee schedule for one kind of case and one item.

    Periods for the same service, kind and item never overlap (the service refuses it), so the
    row in force on a day is unambiguous. `effective_to` empty means until further notice.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="fee_rates"
    )
    case_kind = models.CharField(max_length=32)
    item = models.CharField(max_length=16, choices=FeeItem.choices)
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    vat_applies = models.BooleanField(default=False)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["case_kind", "item", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(item__in=FeeItem.values), name="fee_rate_item_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0, amount__lte=MAX_AMOUNT),
                name="fee_rate_amount_sensible",
            ),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="fee_rate_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"Fee rate {self.pk} ({self.item}, {self.case_kind})"


class VatRate(models.Model):
    """The standard rate of VAT as a dated rule (a fraction, 0.20 for 20 %)."""

    effective_from = models.DateField(unique=True)
    rate = models.DecimalField(max_digits=5, decimal_places=4)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"VAT {self.rate} from {self.effective_from}"


class SharingBasis(models.TextChoices):
    """How a case's shared fees (sessions, documents) are divided between the parties."""

    EQUAL = "equal", "Equally between the parties"
    PERCENTAGES = "percentages", "In agreed percentages"
    ONE_PAYS = "one_pays", "One party pays all"


class FeeSharing(TimeStampedModel):
    """How one case shares its fees; without a row, the parties share equally."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="fee_sharing")
    basis = models.CharField(max_length=16, choices=SharingBasis.choices)
    payer = models.ForeignKey(
        "cases.Participant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: {participant id (as text): percentage (as text)} when the basis is percentages.
    percentages = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(basis__in=SharingBasis.values), name="fee_sharing_basis_valid"
            )
        ]

    def __str__(self) -> str:
        return f"Fee sharing of case {self.case_id}"


class InvoiceCounter(models.Model):
    """The next invoice number of one service, locked while a number is taken (no gaps)."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Invoice counter of organisation {self.organisation_id}"


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", "Invoice"
    CREDIT_NOTE = "credit_note", "Credit note"


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ISSUED = "issued", "Issued"


class Invoice(TimeStampedModel):
    """An invoice (or credit note) to one party; numbered and frozen once issued."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="invoices"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="invoices")
    participant = models.ForeignKey(
        "cases.Participant", on_delete=models.PROTECT, related_name="invoices"
    )
    kind = models.CharField(max_length=12, choices=InvoiceKind.choices, default="invoice")
    status = models.CharField(max_length=8, choices=InvoiceStatus.choices, default="draft")
    number = models.PositiveIntegerField(null=True, blank=True)
    credits = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes"
    )
    note = models.CharField(max_length=500, blank=True)
    net = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    vat = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    total = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    issued_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    document_version = models.ForeignKey(
        "documents.DocumentVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.ForeignKey(
        "deadlines.Deadline", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["case_id", "number", "id"]
        # The statistics page's income and the bookkeeping export read a service's invoices
        # issued in a period.
        indexes = [
            models.Index(fields=["organisation", "issued_at"], name="invoice_org_issued_idx"),
            # The statistics page's income by funding: issued invoices of a period with their
            # party and total, read from this index alone (no invoice row).
            models.Index(
                fields=["organisation", "status", "issued_at", "participant", "total"],
                name="invoice_org_stats_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"],
                condition=models.Q(number__isnull=False),
                name="invoice_number_unique_in_service",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft", number__isnull=True)
                | models.Q(status="issued", number__isnull=False, issued_at__isnull=False),
                name="invoice_number_iff_issued",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=InvoiceKind.values), name="invoice_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        # Audit labels use this: no names or amounts.
        return f"{self.get_kind_display()} {self.pk} on case {self.case_id}"

    @property
    def is_issued(self) -> bool:
        return self.status == InvoiceStatus.ISSUED

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE

    def display_number(self) -> str:
        if self.number is None:
            return "Draft"
        prefix = "CN" if self.is_credit_note else "INV"
        return f"{prefix}-{self.number:05d}"


class InvoiceLine(models.Model):
    """One line of an invoice: what it is for, its `ref` (what happened) and its amounts."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    ref = models.CharField(max_length=80)
    kind = models.CharField(max_length=16)
    label = models.CharField(max_length=200)
    net = models.DecimalField(max_digits=10, decimal_places=2)
    vat = models.DecimalField(max_digits=10, decimal_places=2)
    gross = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["invoice_id", "id"]
        # The statistics page's voucher income: the voucher lines of a period's invoices, from
        # this index alone.
        indexes = [
            models.Index(fields=["kind", "invoice", "gross"], name="invoiceline_kind_stats_idx")
        ]

    def __str__(self) -> str:
        return f"Line {self.pk} of invoice {self.invoice_id}"


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", "Bank transfer"
    CARD = "card", "Card"
    CASH = "cash", "Cash"
    CHEQUE = "cheque", "Cheque"
    OTHER = "other", "Other"


class Payment(TimeStampedModel):
    """A payment received against one invoice."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField()
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    method = models.CharField(max_length=16, choices=PaymentMethod.choices)
    reference = models.CharField(max_length=100, blank=True)
    provider = models.CharField(max_length=40, default="manual")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["paid_on", "id"]
        indexes = [models.Index(fields=["organisation", "paid_on"], name="payment_org_paid_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0, amount__lte=MAX_AMOUNT),
                name="payment_amount_sensible",
            ),
            models.CheckConstraint(
                condition=models.Q(method__in=PaymentMethod.values), name="payment_method_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Payment {self.pk} on invoice {self.invoice_id}"


class Benefit(models.TextChoices):
    """Benefits that passport a party to legal aid (DOMAIN.md section 9)."""

    UNIVERSAL_CREDIT = "universal_credit", "Universal Credit"
    JSA_IB = "jsa_ib", "Income-based Jobseeker's Allowance"
    ESA_IR = "esa_ir", "Income-related Employment and Support Allowance"
    INCOME_SUPPORT = "income_support", "Income Support"
    PENSION_CREDIT = "pension_credit", "Pension Guarantee Credit"


class MeansEvidence(models.TextChoices):
    PASSPORTED = "passported", "Passported on a qualifying benefit"
    MEANS = "means_assessment", "Means assessment (CIVMEANS7)"


class MeansThreshold(models.Model):
    """The legal aid means test's limits as a dated rule (DOMAIN.md section 9, unconfirmed).

    National rows (organisation empty) are seeded by migration; a service may add its own row,
    which wins over the national one from its date. The row in force on the day of an
    assessment is the latest whose `effective_from` is on or before it. A change is a new row.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    effective_from = models.DateField()
    gross_monthly_income = models.DecimalField(max_digits=9, decimal_places=2)
    children_included = models.PositiveSmallIntegerField(default=4)
    per_extra_child = models.DecimalField(max_digits=8, decimal_places=2)
    disposable_monthly_income = models.DecimalField(max_digits=9, decimal_places=2)
    disposable_capital = models.DecimalField(max_digits=10, decimal_places=2)
    source = models.CharField(max_length=300, blank=True)
    confirmed = models.BooleanField(
        default=False, help_text="Whether the service has confirmed the figures (DOMAIN.md)."
    )

    class Meta:
        ordering = ["organisation_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "effective_from"],
                condition=models.Q(organisation__isnull=False),
                name="means_threshold_unique_in_service",
            ),
            models.UniqueConstraint(
                fields=["effective_from"],
                condition=models.Q(organisation__isnull=True),
                name="means_threshold_unique_national",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    gross_monthly_income__gte=0,
                    per_extra_child__gte=0,
                    disposable_monthly_income__gte=0,
                    disposable_capital__gte=0,
                ),
                name="means_threshold_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"Legal aid means thresholds from {self.effective_from:%d %B %Y}"


class MeansAssessment(TimeStampedModel):
    """A party's legal aid means assessment: its result and the evidence seen."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    participant = models.OneToOneField(
        "cases.Participant", on_delete=models.CASCADE, related_name="means_assessment"
    )
    evidence = models.CharField(max_length=20, choices=MeansEvidence.choices)
    benefit = models.CharField(max_length=20, choices=Benefit.choices, blank=True)
    eligible = models.BooleanField()
    assessed_on = models.DateField()
    evidence_note = models.CharField(max_length=300)
    #: The party's figures (pounds; income per month); income is not asked when passported.
    gross_monthly_income = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True
    )
    disposable_monthly_income = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True
    )
    disposable_capital = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    dependent_children = models.PositiveSmallIntegerField(default=0)
    #: The thresholds the result was worked out with, and the test line by line.
    threshold = models.ForeignKey(
        MeansThreshold, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reasons = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(evidence="passported") | ~models.Q(benefit=""),
                name="means_passported_names_benefit",
            )
        ]

    def __str__(self) -> str:
        return f"Means assessment {self.pk} on case {self.case_id}"


class VoucherReference(TimeStampedModel):
    """The FMC's case reference of a case's Family Mediation Voucher, for the claim."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="voucher_reference"
    )
    fmc_reference = models.CharField(max_length=40)

    def __str__(self) -> str:
        return f"Voucher reference of case {self.case_id}"
