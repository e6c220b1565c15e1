"""A pre-mediation meeting: the mediator and one party, before the joint session.

Civil, workplace and community mediation only (the "premediation" part). The booking (when,
how, where) is shared with the party it is for; the notes (their perspective, goals, concerns
and ideas for a solution) are the mediators' private notes: the case's mediators and supervisor
read them, nobody else, not even the party themself (DOMAIN.md section 3).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models

from accord.core.models import TimeStampedModel
from accord.meetings.models import MeetingMode


class PreMediationStatus(models.TextChoices):
    """Where a pre-mediation meeting stands."""

    BOOKED = "booked", "Booked"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"


class PreMediationMeeting(TimeStampedModel):
    """One party's meeting with a mediator of the case team before the joint session."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="premediation_meetings"
    )
    participant = models.ForeignKey(
        "cases.Participant", on_delete=models.RESTRICT, related_name="premediation_meetings"
    )
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    mode = models.CharField(max_length=12, choices=MeetingMode.choices)
    place = models.CharField(
        max_length=500, help_text="The address or room, the video link, or the number to call."
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The mediators' private notes, recorded once the meeting is held.
    perspective = models.TextField(blank=True)
    goals = models.TextField(blank=True)
    concerns = models.TextField(blank=True)
    ideas = models.TextField(blank=True)
    #: Why it was booked over a clash, when the booker confirmed one (for the team only).
    warnings_reason = models.TextField(blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=PreMediationStatus.choices, default=PreMediationStatus.BOOKED
    )
    #: The iCalendar SEQUENCE: 0 when booked, one more each time it is moved or cancelled.
    sequence = models.PositiveSmallIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    #: Why it was cancelled or did not take place; for the team only (it may name people).
    cancel_reason = models.TextField(blank=True)
    notes_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mode__in=MeetingMode.values), name="premediation_mode_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=15, duration_minutes__lte=240),
                name="premediation_duration_range",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=PreMediationStatus.values),
                name="premediation_status_valid",
            ),
        ]

    def __str__(self) -> str:
        # Audit labels use this: no names.
        return f"Pre-mediation meeting {self.pk} on case {self.case_id}"

    @property
    def is_held(self) -> bool:
        return self.held_at is not None

    @property
    def is_booked(self) -> bool:
        """Still to take place (or to be recorded): it can be moved, cancelled or marked."""
        return self.status == PreMediationStatus.BOOKED

    @property
    def ends_at(self) -> Any:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)
