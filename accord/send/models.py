"""SEND mediation records (DOMAIN.md section 2.2): the preliminary record, who attends, the
mediators' call log, the agreed actions and the certificates.

One `SendRecord` per SEND case. The call log is the mediators' private record (section 3);
everything else is the case team's, and the family sees in the portal only their clocks, the
actions agreed (status and due date) and the certificate's appeal deadline.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from accord.core.models import TimeStampedModel


class SendDecision(models.TextChoices):
    """The local authority decision the family disagrees with (CFA 2014 s.51(2)), or the school
    named only (no certificate is needed to appeal that)."""

    REFUSE_ASSESSMENT = "refuse_assessment", "Refusal to carry out an EHC needs assessment"
    REFUSE_PLAN = "refuse_plan", "Refusal to issue an EHC plan"
    PLAN_CONTENTS = "plan_contents", "The EHC plan's contents (needs or provision)"
    NO_SCHOOL_NAMED = "no_school_named", "No school or other institution named in the plan"
    REFUSE_REASSESSMENT = "refuse_reassessment", "Refusal to carry out a reassessment"
    REFUSE_AMENDMENT = "refuse_amendment", "Refusal to amend the plan after a review"
    CEASE_PLAN = "cease_plan", "Ceasing to maintain the EHC plan"
    SCHOOL_ONLY = "school_only", "Only the school or type of school named in the plan"


class SendIssue(models.TextChoices):
    """What the disagreement is about; health issues bring in the health commissioner."""

    EDUCATION = "education", "Education"
    HEALTH = "health", "Health"
    SOCIAL_CARE = "social_care", "Social care"


class RightsHolder(models.TextChoices):
    """Who holds the right to mediation and appeal."""

    PARENT = "parent", "The parent"
    YOUNG_PERSON = "young_person", "The young person"


class FamilyChoice(models.TextChoices):
    """What the family told the mediation adviser."""

    UNDECIDED = "", "Not yet known"
    MEDIATION = "mediation", "Wants mediation"
    DECLINED = "declined", "Does not want mediation"


class AgreementReached(models.TextChoices):
    """How far the meeting reached agreement (reported to commissioners)."""

    FULL = "full", "Agreement on every issue"
    PART = "part", "Agreement on some issues"
    NONE = "none", "No agreement"


class TermBroken(models.TextChoices):
    """The Terms of Engagement, for recording which was broken when a meeting is stopped."""

    COURTESY = "courtesy", "Courtesy: no interrupting, no personal remarks"
    CONFIDENTIALITY = "confidentiality", "Confidentiality: no sharing, recording or notes"
    WITHOUT_PREJUDICE = "without_prejudice", "Without prejudice"


class SendRecord(TimeStampedModel):
    """The SEND side of a case: the decision appealed, the rights holder, the issues, the
    family's choice, preparation and the meeting's outcome."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="send_record")
    la_decision = models.CharField(max_length=24, choices=SendDecision.choices)
    decision_notice_date = models.DateField()
    commissioning_la = models.CharField(max_length=200)
    child_name = models.CharField(max_length=200)
    child_date_of_birth = models.DateField()
    rights_holder = models.CharField(max_length=16, choices=RightsHolder.choices)
    lacks_capacity = models.BooleanField(default=False)
    capacity_note = models.TextField(blank=True)
    issues = models.JSONField(default=list)
    family_choice = models.CharField(
        max_length=12, choices=FamilyChoice.choices, default="", blank=True
    )
    choice_recorded_at = models.DateTimeField(null=True, blank=True)
    not_arranged_at = models.DateTimeField(null=True, blank=True)
    short_notice_consent = models.BooleanField(default=False)
    short_notice_consent_note = models.TextField(blank=True)
    # Preparation
    views_representation = models.TextField(blank=True)
    child_joins_part = models.BooleanField(default=False)
    parent_speaks_for_young_person = models.BooleanField(default=False)
    permission_version = models.ForeignKey(
        "documents.DocumentVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    permission_received_at = models.DateTimeField(null=True, blank=True)
    # The meeting
    stopped_at = models.DateTimeField(null=True, blank=True)
    stopped_term = models.CharField(max_length=20, choices=TermBroken.choices, blank=True)
    stopped_note = models.TextField(blank=True)
    # The outcome
    meeting_ended_at = models.DateTimeField(null=True, blank=True)
    agreement = models.CharField(max_length=8, choices=AgreementReached.choices, blank=True)
    ehc_wording_note = models.TextField(blank=True)
    outcome_version = models.ForeignKey(
        "documents.DocumentVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome_issued_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(la_decision__in=SendDecision.values), name="send_record_decision_valid"
            ),
            models.CheckConstraint(
                condition=Q(rights_holder__in=RightsHolder.values),
                name="send_record_rights_holder_valid",
            ),
            models.CheckConstraint(
                condition=Q(family_choice__in=FamilyChoice.values),
                name="send_record_choice_valid",
            ),
            models.CheckConstraint(
                condition=Q(agreement="") | Q(agreement__in=AgreementReached.values),
                name="send_record_agreement_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"SEND record of case {self.case_id}"

    @property
    def issue_labels(self) -> list[str]:
        return [SendIssue(code).label for code in self.issues if code in SendIssue.values]

    @property
    def certificate_needed(self) -> bool:
        return self.la_decision != SendDecision.SCHOOL_ONLY


class AttendsAs(models.TextChoices):
    """How someone takes part in the meeting (decides where they come in the speaking order)."""

    PARENT = "parent", "Parent"
    YOUNG_PERSON = "young_person", "Young person"
    ADVOCATE = "advocate", "Advocate or supporter chosen by the family"
    SCHOOL = "school", "School or college"
    LA = "la", "Local authority"
    HEALTH = "health", "Health commissioning body"
    SOCIAL_CARE = "social_care", "Social care"
    OTHER = "other", "Other agreed participant"


#: Those who must have authority to resolve the issues (DOMAIN.md section 2.2 step 2).
NEEDS_AUTHORITY = frozenset({AttendsAs.LA, AttendsAs.HEALTH})


class SendAttendee(TimeStampedModel):
    """A participant attending the SEND meeting, in a role, with authority where needed."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="send_attendees")
    participant = models.ForeignKey(
        "cases.Participant", on_delete=models.CASCADE, related_name="send_attendance"
    )
    attends_as = models.CharField(max_length=16, choices=AttendsAs.choices)
    authority_confirmed = models.BooleanField(default=False)
    terms_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "participant"], name="send_attendee_once"),
            models.CheckConstraint(
                condition=Q(attends_as__in=AttendsAs.values), name="send_attendee_role_valid"
            ),
            models.CheckConstraint(
                condition=~Q(attends_as__in=sorted(a.value for a in NEEDS_AUTHORITY))
                | Q(authority_confirmed=True),
                name="send_attendee_authority_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return f"SEND attendee {self.pk} on case {self.case_id}"


class SendCall(models.Model):
    """A mediator's preparation call with one participant: the mediators' private record."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="send_calls")
    participant = models.ForeignKey(
        "cases.Participant", on_delete=models.CASCADE, related_name="send_calls"
    )
    caller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    called_at = models.DateTimeField()
    summary = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["called_at", "id"]

    def __str__(self) -> str:
        return f"SEND call {self.pk} on case {self.case_id}"


class ActionOwner(models.TextChoices):
    """Who does an agreed action."""

    LA = "la", "Local authority"
    HEALTH = "health", "Health commissioning body"
    SCHOOL = "school", "School or college"
    FAMILY = "family", "Parent or young person"
    OTHER = "other", "Someone else"


class ActionTimescale(models.TextChoices):
    """Where an LA action's due date comes from: a reg 44 rule, or a timescale agreed in writing."""

    NOT_TRIBUNAL = "send.la_action_not_tribunal", "Action the Tribunal could not order (2 weeks)"
    AMEND_PLAN = "send.la_action_amend_plan", "Amend the EHC plan (5 weeks)"
    NAME_SCHOOL = "send.la_action_name_school", "Name a school only (2 weeks)"
    NEW_PLAN_DRAFT = "send.la_action_new_plan_draft", "New plan: draft (5 weeks)"
    NEW_PLAN_FINAL = "send.la_action_new_plan_final", "New plan: final (11 weeks)"
    ASSESSMENT_NOTIFY = "send.la_action_assessment_notify", "Assessment: notify (2 weeks)"
    ASSESSMENT_DECISION = "send.la_action_assessment_decision", "Assessment: decision (10 weeks)"
    ASSESSMENT_FINAL = "send.la_action_assessment_final_plan", "Assessment: final plan (14 weeks)"
    AGREED = "agreed", "Another timescale the parties agreed in writing"
    NONE = "", "No statutory timescale"


class SendAction(TimeStampedModel):
    """An action agreed at the meeting: what, who does it, and by when; tracked to done."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="send_actions")
    description = models.TextField()
    owner = models.CharField(max_length=8, choices=ActionOwner.choices)
    owner_name = models.CharField(max_length=200, blank=True)
    timescale = models.CharField(max_length=48, choices=ActionTimescale.choices, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    deadline = models.ForeignKey(
        "deadlines.Deadline", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    done_note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__in=ActionOwner.values), name="send_action_owner_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"SEND action {self.pk} on case {self.case_id}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def done_on_time(self) -> bool:
        return self.done_at is not None and (self.due_at is None or self.done_at <= self.due_at)


class CertificateKind(models.TextChoices):
    """Which mediation certificate: the adviser's, or the mediator's after the meeting."""

    NO_MEDIATION = "no_mediation", "Adviser's certificate: mediation not wanted"
    NOT_ARRANGED = "not_arranged", "Adviser's certificate: mediation could not be arranged"
    AFTER_MEDIATION = "after_mediation", "Mediator's certificate after the mediation"


class SendCertificate(models.Model):
    """A mediation certificate issued on the case, with the appeal deadline it states."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="send_certificates"
    )
    kind = models.CharField(max_length=16, choices=CertificateKind.choices)
    issued_at = models.DateTimeField()
    appeal_deadline = models.DateField()
    version = models.ForeignKey(
        "documents.DocumentVersion", on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["issued_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CertificateKind.values), name="send_certificate_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"SEND certificate {self.pk} on case {self.case_id}"
