"""A complaint to the service: who made it, about whom and what, its dates, and its outcome.

Visible to the service's admins and supervisors; the member of staff complained about sees it
only once an admin shares it with them (`shared_with_subject`). The complainant (a party with a
portal login) sees their own complaint's progress in the portal.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from accord.core.models import TimeStampedModel


class ComplainantKind(models.TextChoices):
    PARTY = "party", "A party to the case"
    FORMER_PARTY = "former_party", "A former party (case closed)"
    THIRD_PARTY = "third_party", "A qualifying third party"


class ComplaintOutcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Complaint(TimeStampedModel):
    """One complaint in the service's log."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="complaints"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    complainant_kind = models.CharField(max_length=20, choices=ComplainantKind.choices)
    complainant = models.ForeignKey(
        "cases.Participant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    complainant_name = models.CharField(max_length=200)
    complainant_contact = models.CharField(max_length=300, blank=True)
    about_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The member of staff complained about, if any.",
    )
    about = models.TextField(help_text="What the complaint is about, in the complainant's words.")
    received_on = models.DateField()
    acknowledge_due = models.DateTimeField()
    respond_due = models.DateTimeField()
    acknowledged_on = models.DateField(null=True, blank=True)
    responded_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=ComplaintOutcome.choices, blank=True)
    response_summary = models.TextField(blank=True)
    fmsb_consent = models.BooleanField(
        default=False, help_text="The complainant consents to release the file to the FMSB."
    )
    shared_with_subject = models.BooleanField(default=False)
    via_portal = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        # The log and the statistics read a service's complaints received in a period.
        indexes = [
            models.Index(fields=["organisation", "received_on"], name="complaint_org_received_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(complainant_kind__in=ComplainantKind.values),
                name="complaint_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome__in=[*ComplaintOutcome.values, ""]),
                name="complaint_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        # Audit labels use this: no names.
        return f"Complaint {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.responded_on is None

    @property
    def fmsb_window_ends(self) -> dt.date | None:
        """The last day the FMSB accepts it: 3 months after the service's process ended."""
        from accord.complaints.dates import fmsb_window_end

        return fmsb_window_end(self)
