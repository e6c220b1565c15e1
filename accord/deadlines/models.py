"""Deadlines on cases: the dated rule table, calendar overrides, reminders and the email outbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accord.core.models import TimeStampedModel
from accord.organisations.models import Region


class OverrideKind(models.TextChoices):
    """What a calendar override does to its date (mirrors `accord.calendar.OverrideKind`)."""

    CLOSURE = "closure", "Service closure"
    BANK_HOLIDAY = "bank_holiday", "Bank holiday"
    WORKING_DAY = "working_day", "Working day (not a bank holiday)"


class CalendarOverride(TimeStampedModel):
    """One dated change to the working calendar: a service closure or a bank-holiday correction.

    `organisation` empty means the entry applies to every service (e.g. imported GOV.UK dates);
    `region` empty means it applies whatever the service's region.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_overrides",
    )
    region = models.CharField(max_length=20, choices=Region.choices, blank=True)
    date = models.DateField()
    kind = models.CharField(max_length=20, choices=OverrideKind.choices)
    name = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["date", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OverrideKind.values), name="calendar_override_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(region="") | Q(region__in=Region.values),
                name="calendar_override_region_valid",
            ),
            # Two partial constraints because NULL organisations never collide in a plain one.
            models.UniqueConstraint(
                fields=["organisation", "region", "date", "kind"],
                condition=Q(organisation__isnull=False),
                name="calendar_override_unique_in_service",
            ),
            models.UniqueConstraint(
                fields=["region", "date", "kind"],
                condition=Q(organisation__isnull=True),
                name="calendar_override_unique_national",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "date"], name="calendar_override_org_idx")]

    def __str__(self) -> str:
        return f"{self.date:%d %B %Y}: {self.name or self.get_kind_display()}"


class RuleUnit(models.TextChoices):
    """How a rule's period is counted (DOMAIN.md section 5)."""

    CALENDAR_DAYS = "calendar_days", "Calendar days"
    WORKING_DAYS = "working_days", "Working days"
    WEEKS = "weeks", "Weeks"
    MONTHS = "months", "Calendar months"
    NEXT_WORKING_DAY_AT = "next_working_day_at", "Next working day at a set time"
    HOURS = "hours", "Hours (elapsed, from the moment itself)"


class DeadlineRule(TimeStampedModel):
    """One dated row of the rule table: how long a step may take, from when, and on whose authority.

    The row that applies to a case is the one in force on the case's opening date, a service's own
    row before the national one (organisation empty).
    """

    code = models.CharField(max_length=80, db_index=True)
    label = models.CharField(max_length=200)
    period = models.IntegerField(
        help_text="How many units; negative counts back (e.g. notice before a meeting)."
    )
    unit = models.CharField(max_length=24, choices=RuleUnit.choices)
    at_time = models.TimeField(
        null=True,
        blank=True,
        help_text="Europe/London time the deadline falls at; empty: close of business (17:00).",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deadline_rules",
    )
    effective_from = models.DateField()
    source = models.CharField(
        max_length=300, help_text="Citation, e.g. SEND Regulations 2014 reg 34."
    )
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["code", "organisation_id", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__in=RuleUnit.values), name="deadline_rule_unit_valid"
            ),
            models.CheckConstraint(
                condition=~Q(unit=RuleUnit.NEXT_WORKING_DAY_AT) | Q(at_time__isnull=False),
                name="deadline_rule_next_working_day_has_time",
            ),
            # Hours run from the moment the clock starts: a time of day would contradict them.
            models.CheckConstraint(
                condition=~Q(unit=RuleUnit.HOURS) | Q(at_time__isnull=True),
                name="deadline_rule_hours_have_no_time",
            ),
            models.UniqueConstraint(
                fields=["organisation", "code", "effective_from"],
                condition=Q(organisation__isnull=False),
                name="deadline_rule_unique_in_service",
            ),
            models.UniqueConstraint(
                fields=["code", "effective_from"],
                condition=Q(organisation__isnull=True),
                name="deadline_rule_unique_national",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} from {self.effective_from:%d %B %Y}"

    @property
    def period_label(self) -> str:
        if self.unit == RuleUnit.NEXT_WORKING_DAY_AT:
            return (
                f"Next working day at {self.at_time:%H:%M}" if self.at_time else "Next working day"
            )
        amount = abs(self.period)
        unit = {
            RuleUnit.CALENDAR_DAYS: "day",
            RuleUnit.WORKING_DAYS: "working day",
            RuleUnit.WEEKS: "week",
            RuleUnit.MONTHS: "month",
            RuleUnit.HOURS: "hour",
        }[RuleUnit(self.unit)]
        text = f"{amount} {unit}{'' if amount == 1 else 's'}"
        return f"{text} before" if self.period < 0 else text


class DeadlineStatus(models.TextChoices):
    """Where a deadline stands: open until it is met, missed or waived."""

    OPEN = "open", "Open"
    MET = "met", "Met"
    MISSED = "missed", "Missed"
    WAIVED = "waived", "Waived"


class DeadlineVisibility(models.TextChoices):
    """Who may know the deadline exists: the case's staff, or the safeguarding audience only."""

    CASE = "case", "Everyone who may see the case workspace"
    RESTRICTED = "restricted", "Safeguarding audience only"


class Deadline(TimeStampedModel):
    """A dated obligation on a case, owned by one member of staff, ending met, missed or waived."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="deadlines"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="deadlines")
    rule = models.ForeignKey(
        DeadlineRule, null=True, blank=True, on_delete=models.PROTECT, related_name="deadlines"
    )
    rule_code = models.CharField(max_length=80)
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="deadlines_owned"
    )
    status = models.CharField(
        max_length=10, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution_note = models.TextField(
        blank=True, help_text="A note when met, or why the deadline was escalated."
    )
    waived_reason = models.TextField(blank=True)
    concerns_participant = models.ForeignKey(
        "cases.Participant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deadlines",
    )
    visible_to_participants = models.BooleanField(default=False)
    visibility = models.CharField(
        max_length=12, choices=DeadlineVisibility.choices, default=DeadlineVisibility.CASE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DeadlineStatus.values), name="deadline_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=DeadlineVisibility.values),
                name="deadline_visibility_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=DeadlineStatus.WAIVED) | ~Q(waived_reason=""),
                name="deadline_waived_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status=DeadlineStatus.OPEN) | Q(resolved_at__isnull=False),
                name="deadline_resolved_has_moment",
            ),
            # Safeguarding deadlines are never shown to participants (DOMAIN.md section 3).
            models.CheckConstraint(
                condition=~Q(visibility=DeadlineVisibility.RESTRICTED)
                | Q(visible_to_participants=False),
                name="deadline_restricted_not_for_participants",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="deadline_status_due_idx"),
            models.Index(fields=["organisation", "due_at"], name="deadline_org_due_idx"),
            models.Index(fields=["case", "due_at"], name="deadline_case_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (due {timezone.localtime(self.due_at):%d %B %Y %H:%M})"

    @property
    def is_open(self) -> bool:
        return self.status == DeadlineStatus.OPEN

    @property
    def is_restricted(self) -> bool:
        return self.visibility == DeadlineVisibility.RESTRICTED


class ReminderKind(models.TextChoices):
    """When a reminder goes out: ahead of the deadline, at it, or to a supervisor once missed."""

    BEFORE = "before", "Before the deadline"
    DUE = "due", "When it falls due"
    ESCALATION = "escalation", "Escalation when missed"


class Reminder(models.Model):
    """One email to one person about one deadline, sent at most once (see docs/deadlines.md)."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=12, choices=ReminderKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deadline_reminders"
    )
    send_after = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["send_after", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "kind", "recipient"], name="reminder_unique_per_recipient"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReminderKind.values), name="reminder_kind_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["send_after"],
                condition=Q(sent_at__isnull=True, cancelled_at__isnull=True),
                name="reminder_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder #{self.pk}"


class OutboundStatus(models.TextChoices):
    """Delivery state of an outbox email."""

    PENDING = "pending", "Waiting to be delivered"
    DELIVERED = "delivered", "Handed to the mail server"
    FAILED = "failed", "Gave up after repeated errors"
    DROPPED = "dropped", "Dropped: its reason no longer held"


class OutboundEmail(models.Model):
    """An email written in the same transaction as the change that caused it, delivered later.

    The Message-ID is fixed when the row is written, so a redelivery after a crash carries the
    same id and mail systems can recognise the duplicate.
    """

    # None only for account emails (password reset) to someone outside every service.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outbound_emails",
    )
    reminder = models.OneToOneField(
        Reminder, null=True, blank=True, on_delete=models.SET_NULL, related_name="outbound_email"
    )
    message_id = models.CharField(max_length=200, unique=True)
    to_email = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=OutboundStatus.choices, default=OutboundStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    #: A registered "still relevant?" check (accord.deadlines.relevance) and what it is asked
    #: about: the deliverer drops the email, with the reason, when the check says no.
    relevance_check = models.CharField(max_length=40, blank=True)
    relevance_ref = models.CharField(max_length=100, blank=True)
    #: An optional attachment, such as an iCalendar file (text only).
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment_body = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OutboundStatus.values), name="outbound_email_status_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="outbound_email_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.message_id} ({self.get_status_display()})"
