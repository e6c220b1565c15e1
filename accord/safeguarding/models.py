"""Safeguarding records: concerns, threshold decisions, referrals, disclosures and case holds.

These are the most sensitive records in Accord (DOMAIN.md sections 3 and 4). Only the case's
mediators, its supervisor and the service's safeguarding lead may read them, and never a party.
`__str__` of every model here is deliberately content-free ("Safeguarding concern #12") because the
audit trail stores it as the target label.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from accord.core.models import TimeStampedModel


class ConcernSource(models.TextChoices):
    """When the concern came to light."""

    SCREENING = "screening", "At screening (MIAM or assessment)"
    SESSION = "session", "During a session"
    OTHER = "other", "At another time"


class ConcernSubject(models.TextChoices):
    """Whether the person at risk is a child or an adult."""

    CHILD = "child", "A child"
    ADULT = "adult", "An adult"


class ConcernStatus(models.TextChoices):
    """Where a concern stands."""

    OPEN = "open", "Open"
    UNDER_INVESTIGATION = "under_investigation", "Under investigation"
    CLOSED = "closed", "Closed"


class SafeguardingConcern(TimeStampedModel):
    """A safeguarding concern raised on a case: what is alleged, by whom, about whom."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="safeguarding_concerns"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField()
    source = models.CharField(max_length=20, choices=ConcernSource.choices)
    allegation = models.TextField("what is alleged")
    subject_kind = models.CharField(
        "about a child or an adult", max_length=10, choices=ConcernSubject.choices
    )
    subject_name = models.CharField("name of the person at risk", max_length=200)
    alleged_by = models.CharField(
        "who made the allegation", max_length=200, help_text="E.g. “Alice Smith, at her MIAM”."
    )
    alleged_against = models.CharField(
        "who is said to have caused the harm", max_length=200, blank=True
    )
    immediate_danger = models.BooleanField(default=False)
    action_taken = models.TextField(
        "action taken now", blank=True, help_text="E.g. “999 called at 14:05, police ref 123”."
    )
    status = models.CharField(
        max_length=20, choices=ConcernStatus.choices, default=ConcernStatus.OPEN
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=ConcernSource.values), name="sg_concern_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(subject_kind__in=ConcernSubject.values),
                name="sg_concern_subject_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ConcernStatus.values), name="sg_concern_status_valid"
            ),
            # Immediate danger is never recorded without the action taken there and then.
            models.CheckConstraint(
                condition=Q(immediate_danger=False) | ~Q(action_taken=""),
                name="sg_concern_danger_needs_action",
            ),
        ]
        indexes = [models.Index(fields=["case", "status"], name="sg_concern_case_status_idx")]

    def __str__(self) -> str:
        return f"Safeguarding concern #{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status == ConcernStatus.CLOSED


class ConsultedRole(models.TextChoices):
    """Whom the mediator consulted on the threshold decision."""

    SUPERVISOR = "supervisor", "The case's supervisor"
    SAFEGUARDING_LEAD = "safeguarding_lead", "The service's safeguarding lead"


class ThresholdDecision(TimeStampedModel):
    """The mediator's decision, with the supervisor or safeguarding lead, on significant harm."""

    concern = models.ForeignKey(
        SafeguardingConcern, on_delete=models.PROTECT, related_name="threshold_decisions"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    consulted = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    consulted_role = models.CharField(max_length=20, choices=ConsultedRole.choices)
    threshold_met = models.BooleanField("significant-harm threshold met")
    reasons = models.TextField()
    referral_needed = models.BooleanField("referral to children's services needed")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-id"]
        get_latest_by = ["decided_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consulted_role__in=ConsultedRole.values),
                name="sg_decision_consulted_role_valid",
            ),
            # Significant harm always means a referral to children's services (DOMAIN.md 4).
            models.CheckConstraint(
                condition=Q(threshold_met=False) | Q(referral_needed=True),
                name="sg_decision_threshold_needs_referral",
            ),
            models.CheckConstraint(
                condition=~Q(decided_by=models.F("consulted")),
                name="sg_decision_consulted_someone_else",
            ),
        ]

    def __str__(self) -> str:
        return f"Threshold decision #{self.pk}"


class ReferralMaker(models.TextChoices):
    """Who makes the referral to children's services."""

    PARENT = "parent", "The parent (self-referral)"
    SERVICE = "service", "The mediation service"


class ReferralStatus(models.TextChoices):
    """Where a referral stands; a self-referral starts as offered."""

    OFFERED = "offered", "Offered to the parent"
    CONFIRMED = "confirmed", "Confirmed by the parent"
    NOT_CONFIRMED = "not_confirmed", "Not confirmed in time"
    MADE = "made", "Made by the service"


class Referral(TimeStampedModel):
    """A referral to the children's services of the area where the child lives."""

    concern = models.ForeignKey(
        SafeguardingConcern, on_delete=models.PROTECT, related_name="referrals"
    )
    made_by = models.CharField(max_length=10, choices=ReferralMaker.choices)
    parent = models.ForeignKey(
        "cases.Participant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The parent making a self-referral.",
    )
    status = models.CharField(max_length=20, choices=ReferralStatus.choices)
    agency = models.CharField(
        max_length=200, blank=True, help_text="E.g. “Leeds Children's Social Care”."
    )
    area = models.CharField(
        "local authority area", max_length=200, blank=True, help_text="Where the child lives."
    )
    referred_on = models.DateField("date of referral", null=True, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    referred_by_name = models.CharField("referred by", max_length=200, blank=True)
    information_shared = models.TextField("what was shared", blank=True)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    offered_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(
        null=True, blank=True, help_text="When a self-referral must be confirmed by."
    )
    deadline = models.ForeignKey(
        "deadlines.Deadline",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The self-referral deadline (restricted).",
    )
    escalation_deadline = models.ForeignKey(
        "deadlines.Deadline",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The service's own referral, due at once when a self-referral lapses.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(made_by__in=ReferralMaker.values), name="sg_referral_made_by_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReferralStatus.values), name="sg_referral_status_valid"
            ),
            # A self-referral names the parent; the service's referral is only ever "made".
            models.CheckConstraint(
                condition=Q(made_by=ReferralMaker.SERVICE, parent__isnull=True, status="made")
                | Q(made_by=ReferralMaker.PARENT, parent__isnull=False)
                & ~Q(status=ReferralStatus.MADE),
                name="sg_referral_maker_consistent",
            ),
            # One self-referral in flight per concern at a time.
            models.UniqueConstraint(
                fields=["concern"],
                condition=Q(status=ReferralStatus.OFFERED),
                name="sg_referral_one_offer_per_concern",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral #{self.pk}"

    @property
    def is_self_referral(self) -> bool:
        return self.made_by == ReferralMaker.PARENT


class LegalBasis(models.TextChoices):
    """Why information may leave the mediation (Agreement to Mediate, DOMAIN.md 2.1.6)."""

    CHILD_AT_RISK = "child_at_risk", "Child at risk of significant harm (must disclose)"
    ADULT_AT_RISK = "adult_at_risk", "Adult at risk (may disclose)"
    MONEY_LAUNDERING = "money_laundering", "Money laundering reporting"
    COURT_ORDER = "court_order", "Court order"


class Disclosure(TimeStampedModel):
    """One disclosure of information outside the mediation, with its legal basis."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    concern = models.ForeignKey(
        SafeguardingConcern,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    referral = models.OneToOneField(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="disclosure"
    )
    legal_basis = models.CharField(max_length=20, choices=LegalBasis.choices)
    information_shared = models.TextField("what was shared")
    recipient_name = models.CharField("shared with (name)", max_length=200)
    recipient_organisation = models.CharField("shared with (organisation)", max_length=200)
    disclosed_at = models.DateTimeField("when")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-disclosed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(legal_basis__in=LegalBasis.values), name="sg_disclosure_basis_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Disclosure #{self.pk}"


class HoldDecision(models.TextChoices):
    """What was decided when an investigation no longer holds the mediation."""

    RESUME = "resume", "Resume the mediation"
    END = "end", "End the mediation"


class CaseHold(TimeStampedModel):
    """The pause of a case while an investigation is open, and the decision that lifted it."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    concern = models.ForeignKey(SafeguardingConcern, on_delete=models.PROTECT, related_name="holds")
    investigating_agency = models.CharField(max_length=200)
    investigation_reference = models.CharField(max_length=100, blank=True)
    reasons = models.TextField("why the mediation is paused")
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    paused_at = models.DateTimeField()
    decision = models.CharField(max_length=10, choices=HoldDecision.choices, blank=True)
    decision_reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-paused_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="") | Q(decision__in=HoldDecision.values),
                name="sg_hold_decision_valid",
            ),
            # A decision is all or nothing: what, why, who and when.
            models.CheckConstraint(
                condition=Q(decision="", decided_at__isnull=True, decided_by__isnull=True)
                | (
                    ~Q(decision="")
                    & ~Q(decision_reasons="")
                    & Q(decided_at__isnull=False)
                    & Q(decided_by__isnull=False)
                ),
                name="sg_hold_decision_complete",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(decided_at__isnull=True),
                name="sg_hold_one_open_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"Case hold #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.decided_at is None
