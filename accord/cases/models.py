"""Cases, their participants and the per-service reference counters."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accord.cases.normalise import normalise_email, normalise_name, normalise_phone
from accord.cases.workflows import WORKFLOWS, Workflow, workflow_for
from accord.core.models import TimeStampedModel

ALL_STAGE_CODES = sorted({stage.code for wf in WORKFLOWS.values() for stage in wf.stages})


class CaseKind(models.TextChoices):
    """The kind of mediation, which decides the workflow a case follows."""

    FAMILY_CHILDREN = "family_children", "Family: child arrangements"
    FAMILY_FINANCE = "family_finance", "Family: finances"
    FAMILY_ALL = "family_all", "Family: all issues"
    SEND = "send", "SEND"
    CIVIL = "civil", "Civil"
    WORKPLACE = "workplace", "Workplace"
    COMMUNITY = "community", "Community"


class Case(TimeStampedModel):
    """One mediation case, owned by exactly one organisation."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="cases"
    )
    reference = models.CharField(max_length=24)
    kind = models.CharField(max_length=20, choices=CaseKind.choices)
    stage = models.CharField(max_length=20)
    title = models.CharField(max_length=200, help_text="A short name, e.g. the parties' surnames.")
    summary = models.TextField(blank=True)
    lead_mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_leading",
    )
    co_mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_co_mediating",
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_supervising",
    )
    opened_at = models.DateTimeField()
    stage_changed_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    is_paused = models.BooleanField(
        default=False, help_text="Paused while a safeguarding investigation is open."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="case_reference_unique_in_service"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=CaseKind.values), name="case_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(stage__in=ALL_STAGE_CODES), name="case_stage_known"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "stage"], name="case_org_stage_idx"),
            models.Index(fields=["organisation", "kind"], name="case_org_kind_idx"),
            models.Index(fields=["organisation", "-opened_at"], name="case_org_opened_idx"),
            # The dashboard's open cases by kind and stage: counted from this index alone.
            models.Index(fields=["organisation", "stage", "kind"], name="case_org_stage_kind_idx"),
            # "My cases" on the dashboard: each team position's latest moved cases, in order.
            models.Index(fields=["lead_mediator", "-stage_changed_at"], name="case_lead_moved_idx"),
            models.Index(fields=["co_mediator", "-stage_changed_at"], name="case_co_moved_idx"),
            models.Index(fields=["supervisor", "-stage_changed_at"], name="case_sup_moved_idx"),
            # Search finds a case by its exact reference whatever the service (the unique
            # constraint's index starts with the organisation, so it cannot answer that).
            models.Index(fields=["reference"], name="case_reference_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def audit_label(self) -> str:
        """The reference only: a title usually holds the parties' surnames (see audit_record)."""
        return self.reference

    @property
    def workflow(self) -> Workflow:
        return workflow_for(self.kind)

    @property
    def stage_label(self) -> str:
        return self.workflow.stage(self.stage).label

    @property
    def next_step(self) -> str:
        return self.workflow.stage(self.stage).next_step

    @property
    def is_closed(self) -> bool:
        return self.stage == "closed"

    @property
    def team_ids(self) -> set[int]:
        return {
            uid
            for uid in (self.lead_mediator_id, self.co_mediator_id, self.supervisor_id)
            if uid is not None
        }


class CaseReferenceCounter(models.Model):
    """The last case number issued by a service in a year; locked while a case opens."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="case_reference_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last_number}"


class ParticipantRole(models.TextChoices):
    """The part a person plays in a case."""

    PARTY = "party", "Party"
    YOUNG_PERSON = "young_person", "Young person"
    PARENT_CARER = "parent_carer", "Parent or carer"
    LA_OFFICER = "la_officer", "Local authority officer"
    SCHOOL_REP = "school_rep", "School or college representative"
    HEALTH_CARE = "health_care", "Health or social care professional"
    SUPPORTER = "supporter", "Advocate or supporter"
    SOLICITOR = "solicitor", "Solicitor"
    INTERPRETER = "interpreter", "Interpreter"
    OBSERVER = "observer", "Observer"


#: Roles whose holders are parties to the dispute (they sign, have private rooms, etc.).
PARTY_ROLES = frozenset(
    {
        ParticipantRole.PARTY,
        ParticipantRole.YOUNG_PERSON,
        ParticipantRole.PARENT_CARER,
        ParticipantRole.LA_OFFICER,
    }
)


class ContactMethod(models.TextChoices):
    """Ways in which it is safe to contact a participant."""

    EMAIL = "email", "Email"
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    POST = "post", "Post"
    PORTAL = "portal", "Accord portal only"


class Participant(TimeStampedModel):
    """A person taking part in a case, with their contact details and safety preferences."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="participants"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participations",
    )
    role = models.CharField(max_length=20, choices=ParticipantRole.choices)
    full_name = models.CharField(max_length=200)
    organisation_name = models.CharField(
        max_length=200, blank=True, help_text="For professionals: the school, LA or firm."
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    confidential_address = models.BooleanField(
        default=False, help_text="Hide the address from everyone but the case team."
    )
    safe_contact_methods = models.JSONField(
        default=list, blank=True, help_text="Ways it is safe to contact this person."
    )
    safe_contact_notes = models.TextField(
        blank=True, help_text="E.g. only call after 6pm; do not leave voicemail."
    )
    portal_access = models.BooleanField(default=False)
    #: Normalised copies for the conflict check and search (accord.cases.normalise), written by
    #: the services that write the name and contact details; never shown.
    name_key = models.CharField(max_length=200, blank=True, editable=False)
    email_key = models.CharField(max_length=254, blank=True, editable=False)
    phone_key = models.CharField(max_length=40, blank=True, editable=False)

    class Meta:
        ordering = ["case_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=ParticipantRole.values),
                name="participant_role_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "full_name"], name="participant_name_idx"),
            models.Index(
                fields=["organisation", "name_key", "date_of_birth"],
                name="participant_name_key_idx",
            ),
            models.Index(fields=["organisation", "email_key"], name="participant_email_key_idx"),
            models.Index(fields=["organisation", "phone_key"], name="participant_phone_key_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"

    def audit_label(self) -> str:
        """Role and id, never the name: audit labels are hashed and outlive erasure."""
        return f"{self.get_role_display()} {self.pk}"

    def set_keys(self) -> list[str]:
        """Refresh the normalised keys from the name and contact details; the fields set."""
        self.name_key = normalise_name(self.full_name)
        self.email_key = normalise_email(self.email)
        self.phone_key = normalise_phone(self.phone)
        return ["name_key", "email_key", "phone_key"]

    @property
    def is_party(self) -> bool:
        return self.role in PARTY_ROLES

    def safe_to_contact_by(self, method: str) -> bool:
        """Whether a contact method is safe for this person.

        With no safe methods recorded nothing has been ruled out; once any are recorded, the
        method must be among them. Every email, letter and reminder Accord sends asks this.
        """
        methods = self.safe_contact_methods or []
        return not methods or method in methods

    @property
    def can_be_emailed(self) -> bool:
        """An email address, and email not ruled out by the person's safe contact methods."""
        return bool(self.email) and self.safe_to_contact_by(ContactMethod.EMAIL)
