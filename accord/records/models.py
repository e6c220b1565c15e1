"""Records held by a service: its retention schedule, holds, what each sweep did, subject-access
requests and erasure requests.

Nothing here holds what a person said: runs and actions keep counts and ids only, so the record
of an erasure never undoes it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accord.core.models import TimeStampedModel


class RecordKind(models.TextChoices):
    CASE_FILE = "case_file", "Case file"
    FINANCIAL = "financial", "Financial documents"
    SAFEGUARDING = "safeguarding", "Safeguarding records"
    COMPLAINTS = "complaints", "Complaints"
    INVOICES = "invoices", "Invoices"
    AUDIT = "audit", "Audit trail"


DEFAULT_YEARS = 6


class RetentionSchedule(TimeStampedModel):
    """A service's retention periods, in whole years after closure, and its legal minimum."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="retention"
    )
    legal_minimum_years = models.PositiveSmallIntegerField(
        default=2, help_text="No period may be shorter than this (the service's legal advice)."
    )
    case_file_years = models.PositiveSmallIntegerField(default=DEFAULT_YEARS)
    financial_years = models.PositiveSmallIntegerField(default=DEFAULT_YEARS)
    safeguarding_years = models.PositiveSmallIntegerField(default=DEFAULT_YEARS)
    complaints_years = models.PositiveSmallIntegerField(default=DEFAULT_YEARS)
    invoices_years = models.PositiveSmallIntegerField(default=DEFAULT_YEARS)
    audit_years = models.PositiveSmallIntegerField(default=DEFAULT_YEARS)

    def __str__(self) -> str:
        return f"Retention schedule of service {self.organisation_id}"

    def years_for(self, kind: str) -> int:
        return int(getattr(self, f"{kind}_years"))


class HoldReason(models.TextChoices):
    COMPLAINT = "complaint", "A complaint"
    SAFEGUARDING = "safeguarding", "A safeguarding investigation"
    LEGAL = "legal", "A legal hold"


class RecordHold(TimeStampedModel):
    """Keeps a case's records past their retention period until released."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=20, choices=HoldReason.choices)
    note = models.TextField(blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reason__in=HoldReason.values), name="record_hold_reason_valid"
            )
        ]

    def __str__(self) -> str:
        return f"Hold {self.pk} on case {self.case_id}"


class RetentionRun(models.Model):
    """One sweep (or one erasure carried out): when, by whom, and what it did in counts."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField()
    trigger = models.CharField(max_length=20)  # "sweep" or "erasure_request"
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Retention run {self.pk}"


class RetentionAction(models.Model):
    """What a run did to one case's records of one kind: erased, or kept and why."""

    run = models.ForeignKey(RetentionRun, on_delete=models.CASCADE, related_name="actions")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=RecordKind.choices)
    done = models.CharField(max_length=12)  # "erased" or "kept"
    reason = models.CharField(max_length=300)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["run_id", "case_id", "kind"]
        indexes = [models.Index(fields=["case", "kind", "done"], name="retention_case_kind_idx")]

    def __str__(self) -> str:
        return f"{self.kind} of case {self.case_id}: {self.done}"


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Answered"
    REFUSED = "refused", "Refused"


class SubjectAccessRequest(TimeStampedModel):
    """One person's request for a copy of what the service holds about them."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    participant = models.ForeignKey(
        "cases.Participant", on_delete=models.CASCADE, related_name="subject_access_requests"
    )
    received_on = models.DateField()
    due_at = models.DateTimeField()
    via_portal = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    produced_at = models.DateTimeField(null=True, blank=True)
    produced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    export_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"Subject-access request {self.pk}"


class ErasureRequest(TimeStampedModel):
    """One person's request to erase what the service holds about them, and the decision."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    participant = models.ForeignKey(
        "cases.Participant", on_delete=models.CASCADE, related_name="erasure_requests"
    )
    received_on = models.DateField()
    via_portal = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.TextField(blank=True)
    run = models.ForeignKey(
        RetentionRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"Erasure request {self.pk}"
