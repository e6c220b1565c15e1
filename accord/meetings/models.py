"""MIAMs: who attends, when and how, and the checklist of what the mediator covered."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models

from accord.core.models import TimeStampedModel


def link_or_blank(text: str) -> str:
    """The text when it is one http(s) address and nothing else, else "" (never javascript:)."""
    value = (text or "").strip()
    if " " in value or "\n" in value or "<" in value or '"' in value:
        return ""
    if value.lower().startswith(("https://", "http://")) and len(value) > 8:
        return value
    return ""


class MeetingMode(models.TextChoices):
    """How a meeting with a mediator is held: a MIAM here, a mediation session in mediation."""

    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone call"


class MiamStatus(models.TextChoices):
    """Where a MIAM stands."""

    BOOKED = "booked", "Booked"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"


#: What the mediator must cover at a MIAM (DOMAIN.md section 2.1 step 3), field name and label.
CHECKLIST = (
    ("covered_options", "Mediation and the other non-court options"),
    ("covered_costs", "Costs"),
    ("covered_funding", "Legal aid and voucher eligibility"),
    ("covered_confidentiality", "Confidentiality and its limits"),
    ("covered_suitability", "Suitability"),
)


class Miam(TimeStampedModel):
    """A Mediation Information and Assessment Meeting: usually one party, joint on request."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="miams"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="miams")
    attendees = models.ManyToManyField("cases.Participant", related_name="miams")
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="miams_mediating"
    )
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=45)
    mode = models.CharField(max_length=12, choices=MeetingMode.choices)
    place = models.CharField(
        max_length=500, help_text="The address or room, the video link, or the number to call."
    )
    status = models.CharField(max_length=16, choices=MiamStatus.choices, default=MiamStatus.BOOKED)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    held_recorded_at = models.DateTimeField(null=True, blank=True)
    #: The iCalendar SEQUENCE: 0 when booked, one more each time it is moved or cancelled.
    sequence = models.PositiveSmallIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    #: Why it was cancelled; for the team only (it may name people), never emailed.
    cancel_reason = models.TextField(blank=True)
    #: Recorded after the fact: booked in Accord only once it had already taken place.
    recorded_after = models.BooleanField(default=False)
    #: Why it was booked or moved over a clash (for the team; kept out of the audit trail).
    warnings_reason = models.CharField(max_length=500, blank=True)
    covered_options = models.BooleanField(default=False)
    covered_costs = models.BooleanField(default=False)
    covered_funding = models.BooleanField(default=False)
    covered_confidentiality = models.BooleanField(default=False)
    covered_suitability = models.BooleanField(default=False)

    class Meta:
        # The statistics page (records.statistics): MIAMs of a period by status, and the cases
        # with a MIAM held, read from this index alone.
        indexes = [
            models.Index(
                fields=["organisation", "status", "starts_at", "case"], name="miam_org_stats_idx"
            )
        ]
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mode__in=MeetingMode.values), name="miam_mode_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=MiamStatus.values), name="miam_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=5, duration_minutes__lte=480),
                name="miam_duration_sensible",
            ),
        ]

    def __str__(self) -> str:
        # Audit labels use this: no names or places, only the case's own reference.
        return f"MIAM {self.pk} on case {self.case_id}"

    @property
    def ends_at(self) -> Any:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    @property
    def video_url(self) -> str:
        """The place as a link when it is a video call at an http(s) address, else ""."""
        return link_or_blank(self.place) if self.mode == MeetingMode.VIDEO else ""

    @property
    def checklist(self) -> list[tuple[str, bool]]:
        """Each checklist item's label and whether it was covered."""
        return [(label, bool(getattr(self, name))) for name, label in CHECKLIST]


class ScreeningAnswer(models.TextChoices):
    """An answer to a screening question."""

    YES = "yes", "Yes"
    NO = "no", "No"
    UNSURE = "unsure", "Unsure"


#: The yes/no/unsure screening questions, field name and label, in the order they are asked.
SCREENING_QUESTIONS = (
    ("physical_abuse", "Physical abuse"),
    ("emotional_abuse", "Emotional abuse"),
    ("coercive_control", "Coercive control"),
    ("financial_abuse", "Financial abuse"),
    ("fear_of_other_party", "Fear of the other party"),
    ("risk_to_children", "Risks to the children"),
    ("childrens_services", "Children's services involvement"),
    ("police_or_court", "Police or court involvement"),
)

#: The yes/no facts recorded about police or court involvement.
SCREENING_FLAGS = ("injunction", "non_molestation_order", "bail_conditions")


def _answer() -> models.CharField:
    return models.CharField(
        max_length=8, choices=ScreeningAnswer.choices, default=ScreeningAnswer.NO
    )


class Screening(TimeStampedModel):
    """One party's private screening, at a MIAM or at any later point; restricted.

    Screening goes on throughout the case (FMC Code 5.8): a screening at a MIAM is edited in
    place, and a repeat screening later in the case (no MIAM) is a new row each time.

    Only the case's mediators, supervisor and safeguarding lead may ever read it (DOMAIN.md 3).
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="screenings"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="screenings")
    #: The MIAM it was made at; empty for a repeat screening later in the case.
    miam = models.ForeignKey(
        Miam, null=True, blank=True, on_delete=models.CASCADE, related_name="screenings"
    )
    participant = models.ForeignKey(
        "cases.Participant", on_delete=models.CASCADE, related_name="screenings"
    )
    physical_abuse = _answer()
    physical_abuse_notes = models.TextField(blank=True)
    emotional_abuse = _answer()
    emotional_abuse_notes = models.TextField(blank=True)
    coercive_control = _answer()
    coercive_control_notes = models.TextField(blank=True)
    financial_abuse = _answer()
    financial_abuse_notes = models.TextField(blank=True)
    fear_of_other_party = _answer()
    fear_of_other_party_notes = models.TextField(blank=True)
    risk_to_children = _answer()
    risk_to_children_notes = models.TextField(blank=True)
    childrens_services = _answer()
    childrens_services_notes = models.TextField(blank=True)
    consent_to_contact_social_worker = models.BooleanField(default=False)
    social_worker_details = models.TextField(blank=True)
    police_or_court = _answer()
    police_or_court_notes = models.TextField(blank=True)
    injunction = models.BooleanField(default=False)
    non_molestation_order = models.BooleanField(default=False)
    bail_conditions = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    concern = models.ForeignKey(
        "safeguarding.SafeguardingConcern",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["miam_id", "participant_id", "id"]
        constraints = [
            # One per party at each MIAM; repeat screenings (no MIAM) may be as many as needed.
            models.UniqueConstraint(
                fields=["miam", "participant"],
                condition=models.Q(miam__isnull=False),
                name="screening_one_per_party_per_miam",
            ),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__in": ScreeningAnswer.values}),
                    name=f"screening_{name}_valid",
                )
                for name, _ in SCREENING_QUESTIONS
            ],
        ]

    def __str__(self) -> str:
        # Audit labels use this: it must never carry an answer or a name.
        return f"Screening {self.pk}"


class SuitabilityRoute(models.TextChoices):
    """The mediator's decision on how, or whether, the mediation goes ahead."""

    JOINT = "joint", "Joint mediation"
    SHUTTLE = "shuttle", "Shuttle mediation"
    NOT_SUITABLE = "not_suitable", "Not suitable for mediation"


class SuitabilityDecision(TimeStampedModel):
    """The case mediator's suitability decision; its reasons may quote screening, so restricted."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="suitability_decision"
    )
    route = models.CharField(max_length=16, choices=SuitabilityRoute.choices)
    reasons = models.TextField()
    signposting = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(
                fields=["organisation", "decided_at", "route"], name="suitability_org_stats_idx"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(route__in=SuitabilityRoute.values),
                name="suitability_route_valid",
            ),
        ]

    def __str__(self) -> str:
        # Audit labels use this: the route is for the case team, the reasons are not.
        return f"Suitability decision on case {self.case_id}"


class ScreeningAlert(TimeStampedModel):
    """A screening suggested a more protective route than the decision in force (restricted).

    While unresolved, no new session is booked or started; the next suitability decision
    resolves it. It names the routes only, never an answer.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="screening_alerts"
    )
    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="alerts")
    #: The route the screening suggests (routing codes: joint, shuttle, not_suitable, refer).
    suggested_route = models.CharField(max_length=16)
    #: The route of the decision in force when the screening was recorded.
    decision_route = models.CharField(max_length=16, choices=SuitabilityRoute.choices)
    raised_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at", "-id"]

    def __str__(self) -> str:
        # Audit labels use this: ids only.
        return f"Screening alert {self.pk} on case {self.case_id}"


class FundingKind(models.TextChoices):
    """How a party's mediation is paid for."""

    LEGAL_AID = "legal_aid", "Legal aid"
    VOUCHER = "voucher", "Family Mediation Voucher"
    PRIVATE = "private", "Private fees"
    NOT_YET_KNOWN = "not_yet_known", "Not yet known"


class LegalAidBasis(models.TextChoices):
    """How legal aid eligibility was assessed."""

    PASSPORTED = "passported", "Passported (on a qualifying benefit)"
    MEANS_ASSESSED = "means_assessed", "Means-assessed"


class LegalAidOutcome(models.TextChoices):
    """The outcome of the legal aid assessment."""

    ELIGIBLE = "eligible", "Eligible"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"
    PENDING = "pending", "Pending"


class VoucherLimit(models.Model):
    """The Family Mediation Voucher's maximum per case, as a dated rule (DOMAIN.md section 2.1)."""

    effective_from = models.DateField(unique=True)
    max_per_case = models.DecimalField(max_digits=8, decimal_places=2)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"£{self.max_per_case} from {self.effective_from:%d %B %Y}"


class Funding(TimeStampedModel):
    """How one party's mediation is funded: legal aid, the voucher, or private fees."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="fundings")
    participant = models.OneToOneField(
        "cases.Participant", on_delete=models.CASCADE, related_name="funding"
    )
    kind = models.CharField(max_length=16, choices=FundingKind.choices)
    legal_aid_basis = models.CharField(max_length=16, choices=LegalAidBasis.choices, blank=True)
    legal_aid_outcome = models.CharField(max_length=16, choices=LegalAidOutcome.choices, blank=True)
    voucher_amount = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    miam_and_first_session_funded = models.BooleanField(
        default=False,
        help_text="Funded because another party of the case qualifies for legal aid.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "case", "kind"], name="funding_org_stats_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=FundingKind.values), name="funding_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(voucher_amount__isnull=True) | models.Q(voucher_amount__gt=0),
                name="funding_voucher_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"Funding {self.pk} on case {self.case_id}"


class CertificateOutcome(models.TextChoices):
    """What a MIAM certificate certifies: today's outcomes, and those of the FM1 era kept readable.

    Since 29 April 2024 mediators no longer validate exemptions; they certify that a MIAM took
    place and what followed (SI 2023/1324). The legacy values stay so that certificates issued
    before then still display; `LEGACY_CERTIFICATE_OUTCOMES` lists them and new certificates refuse
    them.
    """

    MEDIATION_TO_GO_AHEAD = "go_ahead", "MIAM attended: mediation is to go ahead"
    NOT_SUITABLE = "not_suitable", "MIAM attended: mediation is not suitable"
    PARTY_NOT_CONTINUING = (
        "party_not_continuing",
        "MIAM attended: the party does not wish to continue with mediation",
    )
    LEGACY_EXEMPTION_VALIDATED = (
        "legacy_exemption",
        "MIAM exemption validated by the mediator (before 29 April 2024)",
    )
    LEGACY_NOT_SUITABLE = (
        "legacy_not_suitable",
        "Mediator confirms the case is not suitable for mediation (before 29 April 2024)",
    )
    LEGACY_OTHER_PARTY_UNWILLING = (
        "legacy_other_unwilling",
        "Mediator confirms the other party was unwilling to attend a MIAM (before 29 April 2024)",
    )
    LEGACY_MEDIATION_ENDED = (
        "legacy_mediation_ended",
        "Mediation started but ended without agreement (before 29 April 2024)",
    )


#: Outcomes used only before 29 April 2024: readable on old certificates, refused on new ones.
LEGACY_CERTIFICATE_OUTCOMES = frozenset(
    {
        CertificateOutcome.LEGACY_EXEMPTION_VALIDATED,
        CertificateOutcome.LEGACY_NOT_SUITABLE,
        CertificateOutcome.LEGACY_OTHER_PARTY_UNWILLING,
        CertificateOutcome.LEGACY_MEDIATION_ENDED,
    }
)
CURRENT_CERTIFICATE_OUTCOMES = tuple(
    (value, label)
    for value, label in CertificateOutcome.choices
    if value not in LEGACY_CERTIFICATE_OUTCOMES
)


class CourtApplication(models.TextChoices):
    """The court application a MIAM certificate supports."""

    C100 = "c100", "C100 (child arrangements)"
    FORM_A = "form_a", "Form A (financial remedy)"
    OTHER = "other", "Another family court application"


class MiamCertificate(TimeStampedModel):
    """A signed MIAM certificate for one party's court application (DOMAIN.md 2.1 step 5).

    The mediator's name, URN and the service's name are copied at issue, so a later change to the
    mediator's profile never changes a certificate already given to a court. The PDF is an
    immutable `DocumentVersion`; a correction is a new version and a new row, the old ones stay.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="miam_certificates"
    )
    miam = models.ForeignKey(Miam, on_delete=models.PROTECT, related_name="certificates")
    party = models.ForeignKey(
        "cases.Participant", on_delete=models.PROTECT, related_name="miam_certificates"
    )
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    mediator_name = models.CharField(max_length=200)
    fmc_urn = models.CharField("FMC registration number (URN)", max_length=20)
    service_name = models.CharField(max_length=200)
    sole_trader_name = models.CharField(max_length=200, blank=True)
    miam_date = models.DateField()
    outcome = models.CharField(max_length=32, choices=CertificateOutcome.choices)
    valid_until = models.DateField(
        help_text="The last day on which this MIAM supports a court application."
    )
    court_application = models.CharField(max_length=16, choices=CourtApplication.choices)
    signed_name = models.CharField(max_length=200)
    signed_at = models.DateTimeField()
    signature_statement = models.TextField()
    document_version = models.ForeignKey(
        "documents.DocumentVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty only for certificates issued before Accord, recorded for reference.",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case_id", "signed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=CertificateOutcome.values),
                name="miam_certificate_outcome_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(court_application__in=CourtApplication.values),
                name="miam_certificate_court_application_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("miam_date")),
                name="miam_certificate_valid_after_miam",
            ),
            # A certificate issued through Accord always has its signed PDF.
            models.CheckConstraint(
                condition=models.Q(document_version__isnull=False)
                | models.Q(outcome__in=sorted(str(o) for o in LEGACY_CERTIFICATE_OUTCOMES)),
                name="miam_certificate_current_has_document",
            ),
        ]

    def __str__(self) -> str:
        # Audit labels use this: ids only, never the party's or the mediator's name.
        return f"MIAM certificate {self.pk} on case {self.case_id}"

    @property
    def is_legacy(self) -> bool:
        """Whether the outcome is one used only before 29 April 2024."""
        return self.outcome in LEGACY_CERTIFICATE_OUTCOMES
