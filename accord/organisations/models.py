"""Mediation services (organisations), their staff roles and mediator profiles."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accord.cases.kinds import FAMILY_KINDS, KINDS
from accord.core.models import TimeStampedModel


def default_kinds_offered() -> list[str]:
    """What a service offers until its admin says otherwise: every kind of family mediation."""
    return [code for code in KINDS if code in FAMILY_KINDS]


class Region(models.TextChoices):
    """UK nations whose bank holidays differ; used for working-day deadlines."""

    ENGLAND_AND_WALES = "england-and-wales", "England and Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern-ireland", "Northern Ireland"


class Organisation(TimeStampedModel):
    """A mediation service: every piece of case data belongs to exactly one."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    reference_prefix = models.CharField(
        max_length=8,
        default="ACC",
        help_text="Start of case references, e.g. ACC gives ACC-2026-000123.",
    )
    region = models.CharField(
        max_length=20, choices=Region.choices, default=Region.ENGLAND_AND_WALES
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    #: The kinds of case (`accord.cases.kinds` codes) the service takes enquiries for, in the
    #: order of KINDS. Changed only through `organisation_set_kinds_offered`.
    kinds_offered = models.JSONField(default=default_kinds_offered, blank=True)
    #: Whether the service's parties may make personal API tokens (staff always may). Off by
    #: default: few parties need the API, and a token is one more secret to lose.
    party_api_tokens = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reference_prefix__regex=r"^[A-Z]{2,8}$"),
                name="organisation_reference_prefix_format",
            ),
            models.CheckConstraint(
                condition=models.Q(region__in=Region.values), name="organisation_region_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def offers(self, kind: str) -> bool:
        """Whether the service takes cases of this kind."""
        return kind in (self.kinds_offered or [])


class Role(models.TextChoices):
    """What a member of staff does in a service; one person may hold several roles."""

    SERVICE_ADMIN = "service_admin", "Service admin"
    COORDINATOR = "coordinator", "Case coordinator"
    MEDIATOR = "mediator", "Mediator"
    SUPERVISOR = "supervisor", "Supervisor (PPC)"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Safeguarding lead"


class Membership(TimeStampedModel):
    """One role held by one person in one service."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["organisation", "user", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()} at {self.organisation}"


class Accreditation(models.TextChoices):
    """FMC accreditation status: only accredited mediators sign MIAM certificates."""

    ACCREDITED = "accredited", "Accredited (FMCA)"
    PROVISIONAL = "provisional", "Provisional"
    NOT_ACCREDITED = "not_accredited", "Not accredited"


class MediatorProfile(TimeStampedModel):
    """A mediator's professional details within a service: FMC URN, accreditation, PPC."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="mediator_profiles"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mediator_profiles"
    )
    fmc_urn = models.CharField("FMC registration number (URN)", max_length=20, blank=True)
    accreditation = models.CharField(
        max_length=20, choices=Accreditation.choices, default=Accreditation.NOT_ACCREDITED
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervisees",
    )

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="mediator_profile_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(accreditation__in=Accreditation.values),
                name="mediator_profile_accreditation_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_accreditation_display()})"

    @property
    def is_accredited(self) -> bool:
        return self.accreditation == Accreditation.ACCREDITED


class StaffInvitationStatus(models.TextChoices):
    """Where an invitation to join a service's staff stands."""

    PENDING = "pending", "Waiting to be accepted"
    ACCEPTED = "accepted", "Accepted"
    WITHDRAWN = "withdrawn", "Withdrawn"


class StaffInvitation(TimeStampedModel):
    """An invitation to join a service's staff: the roles and mediator details wait here until
    the invited person accepts the emailed link (an `accounts.Invitation`) and only then apply.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="staff_invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_invitations"
    )
    #: The link currently sent; a resend replaces it (the older link stops working).
    invitation = models.ForeignKey(
        "accounts.Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    roles = models.JSONField(default=list)
    fmc_urn = models.CharField(max_length=20, blank=True)
    accreditation = models.CharField(
        max_length=20, choices=Accreditation.choices, default=Accreditation.NOT_ACCREDITED
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=10,
        choices=StaffInvitationStatus.choices,
        default=StaffInvitationStatus.PENDING,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=StaffInvitationStatus.values),
                name="staff_invitation_status_valid",
            ),
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(status="pending"),
                name="staff_invitation_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"Staff invitation {self.pk}"


class StaffSuspension(TimeStampedModel):
    """A member of staff suspended by their service: they cannot sign in until it is lifted."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="staff_suspensions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_suspensions"
    )
    suspended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(lifted_at=None),
                name="staff_suspension_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"Staff suspension {self.pk}"
