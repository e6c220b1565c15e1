"""The children of a family case, hearing the child, schedules and maintenance estimates.

Confidentiality (DOMAIN.md section 3): a parent's answer to the offer to hear a child is private
until both parents have answered; the child meeting's notes are read by the child consultant and
the case's mediators only (the supervisor only once a safeguarding concern was raised from the
meeting); parents see only the feedback the child approved, once it was shared with them.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from accord.core.models import TimeStampedModel
from accord.meetings.models import MeetingMode

#: Children this old or older on the day of the offer are offered a chance to be heard.
HEARD_FROM_AGE = 10


def age_on(born: dt.date, day: dt.date) -> int:
    """Whole years from `born` to `day` (a 29 February birthday counts from 1 March)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class CaseChild(TimeStampedModel):
    """A child of a family case: name and date of birth (from the enquiry, or added by staff)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="children")
    full_name = models.CharField(max_length=200)
    date_of_birth = models.DateField()
    #: The child as named on the enquiry, when the record came from it.
    enquiry_child = models.OneToOneField(
        "intake.Child", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["case_id", "date_of_birth", "id"]
        verbose_name_plural = "children"

    def __str__(self) -> str:
        # Audit labels use this: no names.
        return f"Child {self.pk} of case {self.case_id}"

    def age_on(self, day: dt.date) -> int:
        return age_on(self.date_of_birth, day)


class ChildConsultant(TimeStampedModel):
    """A mediator's training for child-inclusive work, on their mediator profile."""

    profile = models.OneToOneField(
        "organisations.MediatorProfile", on_delete=models.CASCADE, related_name="child_consultant"
    )
    trained = models.BooleanField(default=False)
    dbs_checked_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Child-inclusive training of mediator profile {self.profile_id}"


class OfferStatus(models.TextChoices):
    AWAITING_CONSENT = "awaiting_consent", "Waiting for both parents' answers"
    DECLINED = "declined", "Declined"
    CONSENTED = "consented", "Both parents consented"
    MET = "met", "The child was heard"
    FED_BACK = "fed_back", "Feedback shared with the parents"


class ChildOffer(TimeStampedModel):
    """The offer to hear a child: the parents' answers, the meeting, its notes and feedback."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="child_offers")
    child = models.OneToOneField(CaseChild, on_delete=models.CASCADE, related_name="offer")
    offered_on = models.DateField()
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=OfferStatus.choices, default=OfferStatus.AWAITING_CONSENT
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The child meeting, booked like other appointments.
    starts_at = models.DateTimeField(null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    mode = models.CharField(max_length=12, choices=MeetingMode.choices, blank=True)
    place = models.CharField(max_length=500, blank=True)
    brought_by = models.ForeignKey(
        "cases.Participant", null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )
    #: Why it was booked over a clash (for the team; kept out of the audit trail).
    warnings_reason = models.CharField(max_length=500, blank=True)
    # Private: the consultant and the case's mediators only.
    notes = models.TextField(blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    # What the child agreed may be told to the parents.
    feedback = models.TextField(blank=True)
    feedback_approved_at = models.DateTimeField(null=True, blank=True)
    feedback_shared_at = models.DateTimeField(null=True, blank=True)
    #: A safeguarding concern raised from the meeting (opens the notes to the supervisor).
    concern = models.ForeignKey(
        "safeguarding.SafeguardingConcern",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["case_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=OfferStatus.values), name="child_offer_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=15, duration_minutes__lte=180),
                name="child_offer_duration_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Offer to hear child {self.child_id} on case {self.case_id}"

    @property
    def is_booked(self) -> bool:
        return self.starts_at is not None


class ConsentAnswer(models.TextChoices):
    CONSENT = "consent", "I consent"
    DECLINE = "decline", "I decline"


class ParentConsent(TimeStampedModel):
    """One parent's private answer to the offer to hear their child."""

    offer = models.ForeignKey(ChildOffer, on_delete=models.CASCADE, related_name="answers")
    participant = models.ForeignKey("cases.Participant", on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(max_length=10, choices=ConsentAnswer.choices)

    class Meta:
        ordering = ["offer_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "participant"], name="parent_consent_one_per_parent"
            ),
            models.CheckConstraint(
                condition=models.Q(answer__in=ConsentAnswer.values),
                name="parent_consent_answer_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer of participant {self.participant_id} to offer {self.offer_id}"


class CareSchedule(TimeStampedModel):
    """A proposed time-share schedule: a rotation between two parents from an anchor date.

    Parent A and parent B are the case's parties; the rotation is a sequence of "A"/"B" days
    (a named pattern or custom). Holiday rules are kept as plain data for `accord.timeshare`.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="schedules")
    name = models.CharField(max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    #: The parent whose own proposal it is (None: the mediator's).
    proposed_by = models.ForeignKey(
        "cases.Participant", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    parent_a = models.ForeignKey("cases.Participant", on_delete=models.PROTECT, related_name="+")
    parent_b = models.ForeignKey("cases.Participant", on_delete=models.PROTECT, related_name="+")
    pattern = models.CharField(max_length=60, blank=True)
    rotation = models.JSONField(default=list)
    anchor = models.DateField()
    handover_time = models.TimeField(default=dt.time(18, 0))
    #: Holiday rules: [{"name", "start": "MM-DD", "end": "MM-DD", "rule": "alternate", ...}].
    holidays = models.JSONField(default=list, blank=True)
    #: Weekdays with their own handover time: [{"weekday": 0-6 (Monday 0), "time": "HH:MM"}].
    handovers = models.JSONField(default=list, blank=True)
    #: Single dates given to one parent: [{"on": "YYYY-MM-DD", "carer": "A"|"B", "note"}].
    exceptions = models.JSONField(default=list, blank=True)
    #: Leave school hours (the service's school terms) out of both parents' hours.
    exclude_school_hours = models.BooleanField(default=False)
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"Schedule {self.pk} on case {self.case_id}"


class SchoolTerm(TimeStampedModel):
    """A school term of the service's local authority (dated data: local authorities differ).

    School days are Monday to Friday within a term, except bank holidays; schedules that leave
    school hours out of the parents' hours use the terms of their service.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=80)
    start = models.DateField()
    end = models.DateField()

    class Meta:
        ordering = ["organisation_id", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="school_term_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"School term {self.pk} of organisation {self.organisation_id}"


class MaintenanceEstimate(TimeStampedModel):
    """A child maintenance estimate: whose income, how many children, the nights, the figures."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="maintenance_estimates"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    paying_parent = models.ForeignKey(
        "cases.Participant", on_delete=models.PROTECT, related_name="+"
    )
    #: "disclosure" (from the financial disclosure: `explanation["income_sources"]` names the
    #: items and their dates), "override" (the mediator typed another figure) or "typed".
    income_source = models.CharField(max_length=20, default="typed")
    gross_weekly_income = models.DecimalField(max_digits=10, decimal_places=2)
    qualifying_children = models.PositiveSmallIntegerField()
    other_children = models.PositiveSmallIntegerField(default=0)
    schedule = models.ForeignKey(
        CareSchedule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    nights = models.JSONField(default=list, blank=True)
    weekly = models.DecimalField(max_digits=10, decimal_places=2)
    collect_and_pay = models.JSONField(default=dict, blank=True)
    explanation = models.JSONField(default=dict, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case_id", "-id"]

    def __str__(self) -> str:
        return f"Maintenance estimate {self.pk} on case {self.case_id}"
