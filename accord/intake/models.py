"""Enquiries: how a case begins, the children it concerns, and the conflict check on it."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Issue(models.TextChoices):
    """What the people want to settle; child maintenance counts as a children issue."""

    CHILD_ARRANGEMENTS = "child_arrangements", "Child arrangements"
    CHILD_MAINTENANCE = "child_maintenance", "Child maintenance"
    FINANCES = "finances", "Finances"
    PROPERTY = "property", "Property"
    OTHER = "other", "Something else"


CHILDREN_ISSUES = frozenset({Issue.CHILD_ARRANGEMENTS, Issue.CHILD_MAINTENANCE})
FINANCE_ISSUES = frozenset({Issue.FINANCES, Issue.PROPERTY})


class Urgency(models.TextChoices):
    """How soon the person enquiring needs help."""

    ROUTINE = "routine", "Not urgent"
    SOON = "soon", "Soon: within the next few weeks"
    URGENT = "urgent", "Urgent: a court date or a deadline is close"


class EnquirySource(models.TextChoices):
    """Where an enquiry came in."""

    PUBLIC = "public", "Public enquiry form"
    STAFF = "staff", "Recorded by staff"


class SafeToContact(models.TextChoices):
    """Whether the person enquiring says the other party may be contacted."""

    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "I do not know"


class LADecision(models.TextChoices):
    """The local authority decision a SEND enquiry is about (CFA 2014 s.51(2), and the rest)."""

    REFUSE_ASSESSMENT = "refuse_assessment", "Refusal to carry out an EHC needs assessment"
    REFUSE_PLAN = "refuse_plan", "Refusal to issue an EHC plan"
    PLAN_CONTENTS = "plan_contents", "What the EHC plan says (needs, provision or school)"
    REFUSE_REASSESSMENT = "refuse_reassessment", "Refusal to carry out a reassessment"
    REFUSE_AMENDMENT = "refuse_amendment", "Refusal to amend the plan after a review"
    CEASE_PLAN = "cease_plan", "Ceasing to maintain the EHC plan"
    OTHER = "other", "Something else, such as health or social care provision"


class ConflictDecision(models.TextChoices):
    """The coordinator's decision after the conflict check."""

    NO_CONFLICT = "no_conflict", "No conflict"
    CONFLICT = "conflict", "Conflict: the service cannot act"
    PROCEED = "proceed", "Proceed, with a note"


class Enquiry(models.Model):
    """The enquiry that opened a case, kept as it was given."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="enquiries"
    )
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="enquiry")
    source = models.CharField(max_length=10, choices=EnquirySource.choices)
    issues = models.JSONField(default=list)
    other_issue_details = models.TextField(blank=True)
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    court_proceedings = models.BooleanField(default=False)
    court_details = models.TextField(blank=True)
    #: Civil, workplace and community enquiries: what the dispute is about, in the sender's words.
    dispute_summary = models.TextField(blank=True)
    #: SEND enquiries: the local authority's decision and the date it was made.
    la_decision = models.CharField(max_length=20, choices=LADecision.choices, blank=True)
    la_decision_date = models.DateField(null=True, blank=True)
    #: Per other party (by participant id): whether it is safe to contact them.
    other_parties_safe = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField()
    #: A keyed hash of the sender's IP address for abuse checks; the raw address is never kept.
    submitter_ip_hash = models.CharField(max_length=64, blank=True)
    conflict_decision = models.CharField(
        max_length=12, choices=ConflictDecision.choices, blank=True
    )
    conflict_note = models.TextField(blank=True)
    conflict_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    conflict_decided_at = models.DateTimeField(null=True, blank=True)
    #: The conflict check's result, computed when the enquiry arrives and again on demand:
    #: [{"person": participant id, "other": participant id, "other_case": case id,
    #:   "reasons": [...]}], across the whole service; who sees which is decided when shown.
    conflict_hits = models.JSONField(default=list, blank=True, editable=False)
    conflict_checked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name_plural = "enquiries"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source__in=EnquirySource.values), name="enquiry_source_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(urgency__in=Urgency.values), name="enquiry_urgency_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(la_decision__in=["", *LADecision.values]),
                name="enquiry_la_decision_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(conflict_decision__in=["", *ConflictDecision.values]),
                name="enquiry_conflict_decision_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Enquiry for case {self.case_id}"


class Child(models.Model):
    """A child named on an enquiry (on a SEND enquiry, the child or young person it is about)."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="children")
    full_name = models.CharField(max_length=200)
    date_of_birth = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["enquiry_id", "id"]
        verbose_name_plural = "children"

    def __str__(self) -> str:
        return self.full_name

    def audit_label(self) -> str:
        """No name in the audit trail (see audit_record)."""
        return f"Child {self.pk}"
