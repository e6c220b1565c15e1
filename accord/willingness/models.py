"""Willingness: inviting the other party to consider mediation, their answer, and contact attempts.

DOMAIN.md 2.1 step 2. The invited person answers through a single-use secret link; only the
SHA-256 of the secret is stored. Their written answer is visible to the case team only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accord.core.models import TimeStampedModel


class InvitationChannel(models.TextChoices):
    """How the invitation reached the other party."""

    EMAIL = "email", "Email"
    LETTER = "letter", "Printed letter"


class InvitationStatus(models.TextChoices):
    """Where an invitation stands."""

    INVITED = "invited", "Waiting for an answer"
    WILLING = "willing", "Willing to attend a MIAM"
    NOT_WILLING = "not_willing", "Not willing"
    INFO_REQUESTED = "info_requested", "Asked for more information"
    LAPSED = "lapsed", "No answer in time"
    WITHDRAWN = "withdrawn", "Withdrawn"


class AnswerChoice(models.TextChoices):
    """What the invited person answered."""

    WILLING = "willing", "I am willing to attend a MIAM"
    NOT_WILLING = "not_willing", "I am not willing to take part in mediation"
    INFO_REQUESTED = "info_requested", "I want more information first"


class ContactMethodUsed(models.TextChoices):
    """How the service tried to reach the other party."""

    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    IN_PERSON = "in_person", "In person"


class WillingnessInvitation(TimeStampedModel):
    """One invitation to the other party; a newer one for the same person supersedes it."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="willingness_invitations"
    )
    participant = models.ForeignKey(
        "cases.Participant", on_delete=models.CASCADE, related_name="willingness_invitations"
    )
    channel = models.CharField(max_length=10, choices=InvitationChannel.choices)
    #: SHA-256 of the secret in the link; the secret itself is only in the email or letter.
    secret_hash = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField()
    respond_by = models.DateField()
    status = models.CharField(
        max_length=16, choices=InvitationStatus.choices, default=InvitationStatus.INVITED
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Why the case team invited someone the enquirer said it was not safe to contact.
    override_reason = models.TextField(blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_reason = models.TextField(blank=True)
    deadline = models.ForeignKey(
        "deadlines.Deadline", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    letter = models.ForeignKey(
        "documents.DocumentVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    #: Transient, never stored: the raw code, set only on the object `willingness_invite` returns.
    secret: str = ""

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(channel__in=InvitationChannel.values),
                name="willingness_invitation_channel_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=InvitationStatus.values),
                name="willingness_invitation_status_valid",
            ),
        ]

    def __str__(self) -> str:
        # Audit labels use this: no names, only ids.
        return f"Willingness invitation {self.pk} on case {self.case_id}"


class WillingnessAnswer(models.Model):
    """The invited person's own written answer: the case team sees it, other parties never."""

    invitation = models.OneToOneField(
        WillingnessInvitation, on_delete=models.CASCADE, related_name="answer"
    )
    answer = models.CharField(max_length=16, choices=AnswerChoice.choices)
    text = models.TextField(blank=True)
    answered_at = models.DateTimeField()
    #: A keyed hash of the sender's IP address (see accord.intake.services.ip_hash).
    ip_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-answered_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answer__in=AnswerChoice.values),
                name="willingness_answer_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to willingness invitation {self.invitation_id}"


class ContactAttempt(models.Model):
    """A logged attempt to reach the other party, by any means, and what came of it."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="contact_attempts"
    )
    participant = models.ForeignKey(
        "cases.Participant", on_delete=models.CASCADE, related_name="contact_attempts"
    )
    method = models.CharField(max_length=10, choices=ContactMethodUsed.choices)
    at = models.DateTimeField()
    outcome = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(method__in=ContactMethodUsed.values),
                name="contact_attempt_method_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Contact attempt {self.pk} on case {self.case_id}"


class CourtOrderKind(models.TextChoices):
    """What a court ordered the parties to attend."""

    MIAM = "miam", "Attend a MIAM"
    MEDIATION = "mediation", "Attend mediation"


class CourtOrder(TimeStampedModel):
    """A court's order that the parties attend a MIAM or mediation, recorded by the case team.

    The invitation to the other party says, in neutral words, that a court has ordered attendance;
    the team sees every detail on the case workspace.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="court_orders")
    court = models.CharField(max_length=200)
    ordered_on = models.DateField()
    court_case_number = models.CharField(max_length=40, blank=True)
    orders = models.CharField(max_length=10, choices=CourtOrderKind.choices)
    details = models.TextField(blank=True)
    comply_by = models.DateField(null=True, blank=True)
    deadline = models.ForeignKey(
        "deadlines.Deadline", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-ordered_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(orders__in=CourtOrderKind.values),
                name="court_order_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Court order {self.pk} on case {self.case_id}"
