"""Written outcomes: drafts of the MoU, parenting plan, settlement and written agreement.

A draft is edited by the case's mediator, approved by the supervisor when the mediator is not
accredited, and issued as an immutable PDF version through the document pipeline. Drafts are
for the case's staff; parties see an issued document only once it is shared with them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accord.core.models import TimeStampedModel
from accord.outcomes import content


class OutcomeKind(models.TextChoices):
    """The kind of written outcome."""

    MOU = content.MOU, "Memorandum of Understanding"
    PARENTING_PLAN = content.PARENTING_PLAN, "Parenting plan"
    SETTLEMENT = content.SETTLEMENT, "Settlement agreement"
    WRITTEN_AGREEMENT = content.WRITTEN_AGREEMENT, "Written mediation agreement"


#: Kinds that the parties sign once issued.
SIGNED_KINDS = frozenset({OutcomeKind.SETTLEMENT, OutcomeKind.WRITTEN_AGREEMENT})

#: The built-in document template of each kind.
TEMPLATE_CODES = {
    OutcomeKind.MOU: "outcome-mou",
    OutcomeKind.PARENTING_PLAN: "outcome-parenting-plan",
    OutcomeKind.SETTLEMENT: "outcome-settlement",
    OutcomeKind.WRITTEN_AGREEMENT: "outcome-written-agreement",
}


def kinds_for_case(case_kind: str) -> list[str]:
    """The outcomes a case of this kind may have (DOMAIN.md 2.1 steps 8-9, 2.2 step 6, 2.3).

    Declared with the kind of case in `accord.cases.kinds`.
    """
    from accord.cases.kinds import kind_spec

    return [OutcomeKind(code) for code in kind_spec(case_kind).outcome_kinds]


class OutcomeStatus(models.TextChoices):
    """Where a draft stands."""

    DRAFT = "draft", "Draft"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting the supervisor's approval"
    APPROVED = "approved", "Approved"
    ISSUED = "issued", "Issued"
    SUPERSEDED = "superseded", "Superseded"
    WITHDRAWN = "withdrawn", "Withdrawn"


class OutcomeDraft(TimeStampedModel):
    """One written outcome of a case, from first draft to the issued document."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="outcome_drafts"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(max_length=20, choices=OutcomeKind.choices)
    status = models.CharField(
        max_length=20, choices=OutcomeStatus.choices, default=OutcomeStatus.DRAFT
    )
    sections = models.JSONField(default=dict, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_version = models.ForeignKey(
        "documents.DocumentVersion",
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="+",
    )
    # Corrections: an issued outcome is never changed; a new version replaces it and both stay.
    version_number = models.PositiveIntegerField(default=1)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="corrections",
        help_text="The issued version this one corrects.",
    )
    correction_reason = models.TextField(blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    signing_packet = models.ForeignKey(
        "agreements.SigningPacket",
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="+",
    )

    class Meta:
        ordering = ["case_id", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OutcomeKind.values), name="outcome_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=OutcomeStatus.values), name="outcome_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=OutcomeStatus.ISSUED)
                | models.Q(issued_version__isnull=False, issued_at__isnull=False),
                name="outcome_issued_has_version",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=OutcomeStatus.APPROVED)
                | models.Q(approved_by__isnull=False, approved_at__isnull=False),
                name="outcome_approved_has_approver",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=OutcomeStatus.SUPERSEDED)
                | models.Q(issued_version__isnull=False, superseded_at__isnull=False),
                name="outcome_superseded_was_issued",
            ),
            models.CheckConstraint(
                condition=models.Q(previous__isnull=True, version_number=1)
                | models.Q(previous__isnull=False, version_number__gt=1),
                name="outcome_version_follows_previous",
            ),
            # One live outcome of each kind and version per case; a withdrawn one may be started
            # again, and each issued version has at most one live correction.
            models.UniqueConstraint(
                fields=["case", "kind", "version_number"],
                condition=~models.Q(status=OutcomeStatus.WITHDRAWN),
                name="outcome_one_live_per_kind",
            ),
            models.UniqueConstraint(
                fields=["previous"],
                condition=~models.Q(status=OutcomeStatus.WITHDRAWN),
                name="outcome_one_live_correction",
            ),
        ]

    def __str__(self) -> str:
        return f"Outcome {self.pk} ({self.kind}) on case {self.case_id}"

    @property
    def is_signed_kind(self) -> bool:
        return self.kind in SIGNED_KINDS

    @property
    def is_correction(self) -> bool:
        return self.previous_id is not None

    @property
    def template_code(self) -> str:
        return TEMPLATE_CODES[OutcomeKind(self.kind)]
