"""Mediation sessions (joint or shuttle), their openings, attendance and notes, and the
mediation's own status: active, paused or ended, with every change kept as an event."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accord.core.models import TimeStampedModel
from accord.meetings.models import MeetingMode

MIN_MINUTES, MAX_MINUTES = 30, 600


class SessionFormat(models.TextChoices):
    """Whether the parties meet together or the mediator moves between them."""

    JOINT = "joint", "Joint session"
    SHUTTLE = "shuttle", "Shuttle session"


class SessionStatus(models.TextChoices):
    """Where a session stands."""

    BOOKED = "booked", "Booked"
    IN_PROGRESS = "in_progress", "In progress"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"
    DID_NOT_ATTEND = "did_not_attend", "Did not go ahead: a party did not attend"


class MediationSession(TimeStampedModel):
    """One joint or shuttle session of a case's mediation."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="mediation_sessions"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="mediation_sessions"
    )
    #: 1 for the first session that actually starts, 2 for the next... (set when it starts).
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    format = models.CharField(max_length=10, choices=SessionFormat.choices)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=120)
    mode = models.CharField(max_length=12, choices=MeetingMode.choices)
    place = models.CharField(
        max_length=500, help_text="The address or room, the video link, or the number to call."
    )
    attendees = models.ManyToManyField("cases.Participant", related_name="mediation_sessions")
    mediators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="mediation_sessions_mediating"
    )
    status = models.CharField(
        max_length=16, choices=SessionStatus.choices, default=SessionStatus.BOOKED
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    #: Why it did not go ahead; for the team only (it may name people), never emailed.
    cancel_reason = models.TextField(blank=True)
    #: The iCalendar SEQUENCE: 0 when booked, one more each time it is moved or cancelled.
    sequence = models.PositiveSmallIntegerField(default=0)
    #: Why it was booked or moved over a clash (for the team; kept out of the audit trail).
    warnings_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(format__in=SessionFormat.values),
                name="mediation_session_format_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(mode__in=MeetingMode.values),
                name="mediation_session_mode_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=SessionStatus.values),
                name="mediation_session_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    duration_minutes__gte=MIN_MINUTES, duration_minutes__lte=MAX_MINUTES
                ),
                name="mediation_session_duration_sensible",
            ),
            models.UniqueConstraint(
                fields=["case", "number"],
                condition=models.Q(number__isnull=False),
                name="mediation_session_number_unique_in_case",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="med_session_due_idx"),
            # The statistics page: sessions held per case in a period, and the cases that
            # reached a session, from these indexes alone.
            models.Index(
                fields=["organisation", "status", "starts_at", "case"],
                name="med_session_org_stats_idx",
            ),
            models.Index(fields=["organisation", "case"], name="med_session_org_case_idx"),
        ]

    def __str__(self) -> str:
        # Audit labels use this: no names or places.
        return f"Mediation session {self.pk} on case {self.case_id}"

    @property
    def is_first(self) -> bool:
        return self.number == 1


#: The ground rules restated in full at the first session (DOMAIN.md 2.1 step 7): field, label.
FULL_RULES = (
    ("rule_confidentiality", "Confidentiality and its limits"),
    ("rule_safeguarding", "Safeguarding"),
    ("rule_respect", "Respect: no interrupting, no personal remarks"),
    ("rule_breaks", "Breaks: anyone may ask for one"),
)


class SessionOpening(TimeStampedModel):
    """What the mediator recorded at the start of a session: rules restated, questions invited."""

    session = models.OneToOneField(
        MediationSession, on_delete=models.CASCADE, related_name="opening"
    )
    ground_rules_restated = models.BooleanField(default=False)
    questions_invited = models.BooleanField(default=False)
    rule_confidentiality = models.BooleanField(default=False)
    rule_safeguarding = models.BooleanField(default=False)
    rule_respect = models.BooleanField(default=False)
    rule_breaks = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Opening of mediation session {self.session_id}"

    @property
    def full_rules(self) -> list[tuple[str, bool]]:
        """Each full rule's label and whether it was covered."""
        return [(label, bool(getattr(self, name))) for name, label in FULL_RULES]


class OpeningAccount(TimeStampedModel):
    """A party's opening account at the first session (in shuttle: private to their room)."""

    session = models.ForeignKey(
        MediationSession, on_delete=models.CASCADE, related_name="opening_accounts"
    )
    participant = models.ForeignKey("cases.Participant", on_delete=models.CASCADE, related_name="+")
    text = models.TextField()

    class Meta:
        ordering = ["session_id", "participant_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"], name="opening_account_once_per_party"
            )
        ]

    def __str__(self) -> str:
        return f"Opening account {self.pk} at mediation session {self.session_id}"


class AttendanceStatus(models.TextChoices):
    """How a person attended a session."""

    ATTENDED = "attended", "Attended"
    LATE = "late", "Arrived late"
    LEFT_EARLY = "left_early", "Left early"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"


class SessionAttendance(TimeStampedModel):
    """Whether one expected attendee came to a session."""

    session = models.ForeignKey(
        MediationSession, on_delete=models.CASCADE, related_name="attendance"
    )
    participant = models.ForeignKey("cases.Participant", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=AttendanceStatus.choices)

    class Meta:
        ordering = ["session_id", "participant_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"], name="session_attendance_once_per_person"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=AttendanceStatus.values),
                name="session_attendance_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Attendance {self.pk} at mediation session {self.session_id}"


class NoteKind(models.TextChoices):
    """Who a session note is for."""

    PRIVATE = "private", "Private to the mediators"
    SHARED_SUMMARY = "shared_summary", "Shared summary for the parties"


class SessionNote(TimeStampedModel):
    """A note of a session: private to the case's mediators and supervisor, or a shared summary."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="session_notes")
    session = models.ForeignKey(MediationSession, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=16, choices=NoteKind.choices)
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=NoteKind.values), name="session_note_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"Session note {self.pk} on case {self.case_id}"


class MediationState(models.TextChoices):
    """Whether the mediation is going on."""

    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    ENDED = "ended", "Ended"


class EndReason(models.TextChoices):
    """Why a mediation ended (DOMAIN.md 2.1 step 10)."""

    AGREEMENT = "agreement", "Agreement"
    PARTIAL = "partial", "Partial agreement"
    WITHDREW = "withdrew", "A party withdrew"
    NOT_SUITABLE = "not_suitable", "Not suitable"
    SAFEGUARDING = "safeguarding", "Safeguarding"


#: End reasons that count as reaching agreement for the case's metrics.
AGREED = frozenset({EndReason.AGREEMENT, EndReason.PARTIAL})


class MediationStatus(TimeStampedModel):
    """The mediation's current status on a case; each change is a `MediationStatusEvent`."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="mediation_status"
    )
    state = models.CharField(
        max_length=8, choices=MediationState.choices, default=MediationState.ACTIVE
    )
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The statistics page: ends of mediation in a period by reason, from this index alone.
        indexes = [
            models.Index(
                fields=["organisation", "state", "ended_at", "end_reason"],
                name="med_status_org_stats_idx",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=MediationState.values),
                name="mediation_status_state_valid",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(state="ended", end_reason__in=EndReason.values, ended_at__isnull=False)
                    | (~models.Q(state="ended") & models.Q(end_reason="", ended_at__isnull=True))
                ),
                name="mediation_status_end_reason_iff_ended",
            ),
        ]

    def __str__(self) -> str:
        return f"Mediation status of case {self.case_id}"


class MediationStatusEvent(models.Model):
    """One pause, end or reopening of a mediation, kept so the history is never lost."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="mediation_status_events"
    )
    from_state = models.CharField(max_length=8, choices=MediationState.choices)
    to_state = models.CharField(max_length=8, choices=MediationState.choices)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)
    reason = models.TextField(help_text="Why: for the case team, never shown to parties.")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    from_state__in=MediationState.values, to_state__in=MediationState.values
                ),
                name="mediation_status_event_states_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Mediation status change {self.pk} on case {self.case_id}"


class SuitabilityOverride(TimeStampedModel):
    """An accredited mediator's recorded override of the suitability gate on a case.

    It lifts the route and MIAM rules of `accord.mediation.gate` only while the decision it
    overrode is current (same decision, not revised since: `decision_decided_at`). Audited, and
    visible to the case's supervisor and the mediator's own supervisor.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="suitability_overrides"
    )
    decision = models.ForeignKey(
        "meetings.SuitabilityDecision", on_delete=models.CASCADE, related_name="overrides"
    )
    #: The decision's route and time when overridden: a revised decision ends the override.
    decision_route = models.CharField(max_length=16)
    decision_decided_at = models.DateTimeField()
    reason = models.TextField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField()

    class Meta:
        ordering = ["-made_at", "-id"]

    def __str__(self) -> str:
        # Audit labels use this: ids only, never the reason.
        return f"Suitability override {self.pk} on case {self.case_id}"
