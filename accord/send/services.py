"""Every change to a SEND case's own records, each audited in its own transaction.

The preliminary record and the family's choice start the statutory clocks (`clocks.py`); the
arranging rules are checked on every booking of the meeting (`checks.py`, registered with
mediation); the outcome and the certificate go through the document pipeline. Audit details
carry ids and codes, never call summaries or the child's name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.audit.services import audit_record
from accord.calendar import london_date, london_wall_time
from accord.cases.models import Case, Participant
from accord.cases.progress import case_advance, ensure_part_applies
from accord.core.errors import NotPermitted, ValidationFailed
from accord.send import clocks, rules
from accord.send.models import (
    NEEDS_AUTHORITY,
    ActionOwner,
    ActionTimescale,
    AgreementReached,
    AttendsAs,
    CertificateKind,
    FamilyChoice,
    SendAction,
    SendAttendee,
    SendCall,
    SendCertificate,
    SendDecision,
    SendIssue,
    SendRecord,
    TermBroken,
)

TEXT_LIMIT = 5000
PERMISSION_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
PERMISSION_MAX_BYTES = 10 * 1024 * 1024

# Clock codes (dated rules in the deadline engine).
ADVICE = "send.mediation_advice_contact"
CERT_NO_MEDIATION = "send.certificate_no_mediation"
ARRANGE = "send.arrange_mediation"
CERT_NOT_ARRANGED = "send.certificate_not_arranged"
HEALTH = "send.health_notify"
CERT_AFTER = "send.certificate_after_mediation"
OUTCOME = "send.outcome_service_standard"
APPEAL = "send.appeal_deadline"
APPEAL_FROM_DECISION = "send.appeal_from_decision"
APPEAL_FROM_CERTIFICATE = "send.appeal_from_certificate"
CERTIFICATE_CLOCKS = (CERT_NO_MEDIATION, CERT_NOT_ARRANGED, CERT_AFTER)


def is_case_mediator(user: Any, case: Case) -> bool:
    """Whether the user is the case's lead or co-mediator and may change it."""
    from accord.cases import policy as case_policy

    pk = getattr(user, "pk", None)
    return (
        pk is not None
        and pk in (case.lead_mediator_id, case.co_mediator_id)
        and case_policy.can(user, "change", case)
    )


def _locked_case(actor: Any, case: Case, *, lock: bool = True) -> Case:
    from accord.cases.services import case_locked_for

    case = case_locked_for(
        actor=actor,
        case=case,
        action="change",
        refusal="You do not have permission to change this SEND case.",
        lock=lock,
    )
    ensure_part_applies(case, "send")
    return case


def _record(case: Case, *, lock: bool = True) -> SendRecord:
    records = SendRecord.objects.select_for_update() if lock else SendRecord.objects.all()
    record = records.filter(case=case).first()
    if record is None:
        raise ValidationFailed(
            "Record the local authority's decision first: the SEND clocks run from it."
        )
    return record


def _text(errors: dict[str, list[str]], field: str, value: Any, *, missing: str = "") -> str:
    text = value.strip() if isinstance(value, str) else ""
    if missing and not text:
        errors[field] = [missing]
    elif len(text) > TEXT_LIMIT:
        errors[field] = [f"Use {TEXT_LIMIT} characters or fewer."]
    return text


def _audit(actor: Any, case: Case, action: str, target: Any, **details: Any) -> None:
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action=action,
        target=target,
        case_id=case.pk,
        details=details,
    )


# 1. Preliminary


@transaction.atomic
def send_record_preliminary(
    *,
    actor: Any,
    case: Case,
    la_decision: str,
    decision_notice_date: dt.date | None,
    commissioning_la: str,
    child_name: str,
    child_date_of_birth: dt.date | None,
    issues: Sequence[str],
    lacks_capacity: bool = False,
    capacity_note: str = "",
) -> SendRecord:
    """Record the LA decision, the child or young person, who holds the rights and the issues.

    The first recording starts the mediation-adviser contact clock (reg 33, from the decision
    notice). The rights holder is worked out from the date of birth, not chosen.
    """
    case = _locked_case(actor, case)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if la_decision not in SendDecision.values:
        errors["la_decision"] = ["Choose the local authority decision the family disagrees with."]
    if not isinstance(decision_notice_date, dt.date):
        errors["decision_notice_date"] = ["Enter the date the decision notice was sent."]
    elif decision_notice_date > today:
        errors["decision_notice_date"] = [
            "The decision notice date cannot be in the future: enter the date it was sent."
        ]
    la_name = _text(
        errors,
        "commissioning_la",
        commissioning_la,
        missing="Enter the local authority that commissions the mediation.",
    )
    name = _text(
        errors, "child_name", child_name, missing="Enter the child's or young person's name."
    )
    if "child_name" not in errors and len(name) > 200:
        errors["child_name"] = ["The name must be 200 characters or fewer."]
    if "commissioning_la" not in errors and len(la_name) > 200:
        errors["commissioning_la"] = ["The name must be 200 characters or fewer."]
    if not isinstance(child_date_of_birth, dt.date):
        errors["child_date_of_birth"] = ["Enter the child's or young person's date of birth."]
    elif child_date_of_birth > today:
        errors["child_date_of_birth"] = ["The date of birth must be in the past."]
    elif isinstance(decision_notice_date, dt.date) and decision_notice_date < child_date_of_birth:
        errors["decision_notice_date"] = ["The decision cannot be before the child was born."]
    chosen = list(dict.fromkeys(issues or []))
    if not chosen:
        errors["issues"] = ["Choose what the disagreement is about: education, health or care."]
    elif set(chosen) - set(SendIssue.values):
        errors["issues"] = ["Choose education, health or social care."]
    note = _text(errors, "capacity_note", capacity_note)
    if lacks_capacity and not note:
        errors["capacity_note"] = [
            "Say who assessed the young person's capacity for this decision, and when."
        ]
    if errors:
        raise ValidationFailed("The SEND details could not be saved.", field_errors=errors)
    assert isinstance(decision_notice_date, dt.date) and isinstance(child_date_of_birth, dt.date)
    holder = rules.rights_holder(
        date_of_birth=child_date_of_birth, on=today, lacks_capacity=bool(lacks_capacity)
    )
    record, created = SendRecord.objects.select_for_update().update_or_create(
        case=case,
        defaults={
            "organisation_id": case.organisation_id,
            "la_decision": la_decision,
            "decision_notice_date": decision_notice_date,
            "commissioning_la": la_name,
            "child_name": name,
            "child_date_of_birth": child_date_of_birth,
            "rights_holder": holder,
            "lacks_capacity": bool(lacks_capacity),
            "capacity_note": note,
            "issues": chosen,
            "recorded_by": actor,
        },
    )
    _audit(
        actor,
        case,
        "send.preliminary_recorded",
        record,
        first=created,
        la_decision=la_decision,
        issues=chosen,
        rights_holder=holder,
    )
    if created and record.certificate_needed:
        clocks.clock_start(
            actor=actor,
            case=case,
            code=ADVICE,
            start=london_wall_time(decision_notice_date, dt.time(9, 0)),
        )
    return record


@transaction.atomic
def send_choice_record(*, actor: Any, case: Case, wants_mediation: bool) -> SendRecord:
    """Record the family's choice after mediation advice: start the arranging clock (30 days) or
    the adviser's certificate clock (3 working days); health issues tell the health body."""
    case = _locked_case(actor, case)
    record = _record(case)
    if record.family_choice:
        raise ValidationFailed(
            f"The family's choice is already recorded: {record.get_family_choice_display()}."
        )
    if not isinstance(wants_mediation, bool):
        raise ValidationFailed(
            "Say whether the family wants mediation.",
            field_errors={"wants_mediation": ["Choose yes or no."]},
        )
    now = timezone.now()
    record.family_choice = FamilyChoice.MEDIATION if wants_mediation else FamilyChoice.DECLINED
    record.choice_recorded_at = now
    record.save(update_fields=["family_choice", "choice_recorded_at", "updated_at"])
    _audit(actor, case, "send.choice_recorded", record, choice=record.family_choice)
    clocks.clock_meet(
        actor=actor, case=case, code=ADVICE, note="The family has had mediation advice."
    )
    if wants_mediation:
        clocks.clock_start(actor=actor, case=case, code=ARRANGE, start=now)
        if SendIssue.HEALTH in record.issues:
            clocks.clock_start(actor=actor, case=case, code=HEALTH, start=now)
        case_advance(actor=actor, case=case, event="send_mediation_wanted")
    else:
        if record.certificate_needed:
            clocks.clock_start(actor=actor, case=case, code=CERT_NO_MEDIATION, start=now)
        case_advance(actor=actor, case=case, event="send_mediation_declined")
    return record


@transaction.atomic
def send_health_notified(*, actor: Any, case: Case) -> SendRecord:
    """Record that the health commissioning body was told (meets its 3-working-day clock)."""
    case = _locked_case(actor, case)
    record = _record(case)
    if clocks.open_clock(case, HEALTH) is None:
        raise ValidationFailed("No notice to the health commissioning body is waiting.")
    clocks.clock_meet(actor=actor, case=case, code=HEALTH, note="Health commissioning body told.")
    _audit(actor, case, "send.health_notified", record)
    return record


# 2. Arranging


@transaction.atomic
def send_not_arranged_record(*, actor: Any, case: Case) -> SendRecord:
    """Record that mediation could not be arranged within 30 days: the certificate is due within
    3 working days (mediation may still go ahead later)."""
    case = _locked_case(actor, case)
    record = _record(case)
    if record.family_choice != FamilyChoice.MEDIATION:
        raise ValidationFailed("Only mediation the family asked for can fail to be arranged.")
    if record.not_arranged_at is not None:
        raise ValidationFailed("It is already recorded that mediation could not be arranged.")
    now = timezone.now()
    record.not_arranged_at = now
    record.save(update_fields=["not_arranged_at", "updated_at"])
    _audit(actor, case, "send.not_arranged", record)
    if record.certificate_needed:
        clocks.clock_start(actor=actor, case=case, code=CERT_NOT_ARRANGED, start=now)
    return record


@transaction.atomic
def send_short_notice_consent_record(*, actor: Any, case: Case, note: str) -> SendRecord:
    """Record the family's consent to less than 5 working days' notice of the meeting."""
    case = _locked_case(actor, case)
    record = _record(case)
    errors: dict[str, list[str]] = {}
    text = _text(errors, "note", note, missing="Say how and when the family agreed to less notice.")
    if errors:
        raise ValidationFailed("The consent could not be recorded.", field_errors=errors)
    record.short_notice_consent = True
    record.short_notice_consent_note = text
    record.save(update_fields=["short_notice_consent", "short_notice_consent_note", "updated_at"])
    _audit(actor, case, "send.short_notice_consented", record)
    return record


@transaction.atomic
def send_attendee_add(
    *,
    actor: Any,
    case: Case,
    participant: Participant | None,
    attends_as: str,
    authority_confirmed: bool = False,
) -> SendAttendee:
    """Add someone to the meeting, in a role; the LA and health bodies must confirm authority.

    An advocate or supporter chosen by the family is always allowed (nobody can veto them).
    """
    case = _locked_case(actor, case)
    _record(case)
    errors: dict[str, list[str]] = {}
    if participant is None or participant.case_id != case.pk:
        errors["participant"] = ["Choose a participant of this case."]
    elif SendAttendee.objects.filter(case=case, participant=participant).exists():
        errors["participant"] = [f"{participant.full_name} is already attending."]
    if attends_as not in AttendsAs.values:
        errors["attends_as"] = ["Choose how they take part."]
    elif attends_as in NEEDS_AUTHORITY and authority_confirmed is not True:
        errors["authority_confirmed"] = [
            "Confirm that they have authority to resolve the issues: the local authority and "
            "health bodies must send someone who can."
        ]
    if errors or participant is None:
        raise ValidationFailed("The attendee could not be added.", field_errors=errors)
    attendee = SendAttendee.objects.create(
        case=case,
        participant=participant,
        attends_as=attends_as,
        authority_confirmed=attends_as in NEEDS_AUTHORITY and authority_confirmed is True,
    )
    _audit(
        actor,
        case,
        "send.attendee_added",
        attendee,
        participant_id=participant.pk,
        attends_as=attends_as,
    )
    return attendee


# 3. Preparation


@transaction.atomic
def send_call_log(
    *,
    actor: Any,
    case: Case,
    participant: Participant | None,
    called_at: dt.datetime | None,
    summary: str,
) -> SendCall:
    """A case mediator logs a preparation call with one participant (mediators only read it)."""
    case = _locked_case(actor, case)
    if not is_case_mediator(actor, case):
        raise NotPermitted("Only the case's mediators keep the call log.")
    errors: dict[str, list[str]] = {}
    if participant is None or participant.case_id != case.pk:
        errors["participant"] = ["Choose a participant of this case."]
    if not isinstance(called_at, dt.datetime) or called_at.tzinfo is None:
        errors["called_at"] = ["Enter when the call was, as a date and time."]
    elif called_at > timezone.now() + dt.timedelta(minutes=5):
        errors["called_at"] = ["A call cannot be logged before it happens."]
    text = _text(errors, "summary", summary, missing="Summarise the call.")
    if errors or participant is None or called_at is None:
        raise ValidationFailed("The call could not be logged.", field_errors=errors)
    call = SendCall.objects.create(
        case=case, participant=participant, caller=actor, called_at=called_at, summary=text
    )
    _audit(actor, case, "send.call_logged", call, participant_id=participant.pk)
    return call


@transaction.atomic
def send_preparation_record(
    *,
    actor: Any,
    case: Case,
    views_representation: str,
    child_joins_part: bool,
    parent_speaks_for_young_person: bool,
) -> SendRecord:
    """Record how the child's or young person's views will be heard, and who speaks for them."""
    case = _locked_case(actor, case)
    record = _record(case)
    errors: dict[str, list[str]] = {}
    text = _text(
        errors,
        "views_representation",
        views_representation,
        missing="Say how the child's or young person's views will be represented.",
    )
    age = rules.age_on(record.child_date_of_birth, timezone.localdate())
    if parent_speaks_for_young_person and age < 16:
        errors["parent_speaks_for_young_person"] = [
            f"The child is {age}: a parent speaks for a child under 16 without written permission."
        ]
    if errors:
        raise ValidationFailed("The preparation could not be saved.", field_errors=errors)
    record.views_representation = text
    record.child_joins_part = bool(child_joins_part)
    record.parent_speaks_for_young_person = bool(parent_speaks_for_young_person)
    record.save(
        update_fields=[
            "views_representation",
            "child_joins_part",
            "parent_speaks_for_young_person",
            "updated_at",
        ]
    )
    _audit(
        actor,
        case,
        "send.preparation_recorded",
        record,
        child_joins_part=record.child_joins_part,
        parent_speaks=record.parent_speaks_for_young_person,
    )
    return record


def permission_needed(record: SendRecord, on: dt.date | None = None) -> bool:
    """Whether a parent speaks for a young person of 16 or over without their written permission."""
    day = on or timezone.localdate()
    return (
        record.parent_speaks_for_young_person
        and rules.age_on(record.child_date_of_birth, day) >= 16
        and record.permission_received_at is None
        and not permission_signed_online(record.case)
    )


@transaction.atomic
def send_permission_upload(
    *, actor: Any, case: Case, content: bytes, file_name: str, content_type: str
) -> SendRecord:
    """Keep the young person's signed written permission for a parent to speak for them."""
    from accord.documents.services import document_store_upload

    case = _locked_case(actor, case)
    record = _record(case)
    errors: dict[str, list[str]] = {}
    if content_type not in PERMISSION_TYPES:
        errors["file"] = ["Upload the signed permission as a PDF, JPEG or PNG."]
    elif not content:
        errors["file"] = ["The file is empty."]
    elif len(content) > PERMISSION_MAX_BYTES:
        errors["file"] = ["The file must be 10 MB or smaller."]
    if errors:
        raise ValidationFailed("The permission could not be kept.", field_errors=errors)
    version = document_store_upload(
        actor=actor,
        case=case,
        title="Young person's written permission",
        content=content,
        file_name=file_name or f"permission.{PERMISSION_TYPES[content_type]}",
        content_type=content_type,
        document_code="send-permission",
    )
    record.permission_version = version
    record.permission_received_at = timezone.now()
    record.save(update_fields=["permission_version", "permission_received_at", "updated_at"])
    _audit(actor, case, "send.permission_received", record, version_id=version.pk, how="upload")
    return record


PERMISSION_PURPOSE = "send_permission"
PERMISSION_TEXT = (
    "I, {name}, give my permission for {parents} to speak for me at the SEND mediation "
    "meeting about this decision of the local authority: {decision}.\n\n"
    "I understand that I can change my mind at any time by telling the mediator."
)


def permission_signed_online(case: Case) -> bool:
    """Whether the young person has signed the permission packet online."""
    from accord.agreements.models import PacketStatus, SigningPacket

    return SigningPacket.objects.filter(
        case_id=case.pk, purpose=PERMISSION_PURPOSE, status=PacketStatus.COMPLETE
    ).exists()


@transaction.atomic
def send_permission_request(*, actor: Any, case: Case, young_person: Participant | None) -> Any:
    """Ask the young person to sign their written permission online (a signing packet)."""
    from accord.agreements.services import signing_packet_create
    from accord.cases.models import ParticipantRole

    case = _locked_case(actor, case)
    record = _record(case)
    if (
        young_person is None
        or young_person.case_id != case.pk
        or young_person.role != ParticipantRole.YOUNG_PERSON
    ):
        raise ValidationFailed(
            "Choose the young person: add them to the case as a participant first.",
            field_errors={"young_person": ["Choose the young person."]},
        )
    packet = signing_packet_create(
        actor=actor,
        case=case,
        purpose=PERMISSION_PURPOSE,
        title="Permission for my parent to speak for me",
        text=PERMISSION_TEXT.format(
            name=young_person.full_name,
            parents=" or ".join(
                case.participants.filter(role=ParticipantRole.PARENT_CARER)
                .order_by("id")
                .values_list("full_name", flat=True)
            )
            or "my parent",
            decision=record.get_la_decision_display(),
        ),
        signers=[young_person],
    )
    _audit(actor, case, "send.permission_requested", record, participant_id=young_person.pk)
    return packet


# 4. The meeting


@transaction.atomic
def send_terms_confirm(*, actor: Any, case: Case, attendee: SendAttendee) -> SendAttendee:
    """Record that an attendee accepts the Terms of Engagement (courtesy, confidentiality,
    without prejudice) at the start of the meeting."""
    case = _locked_case(actor, case)
    attendee = SendAttendee.objects.select_for_update().get(pk=attendee.pk, case=case)
    if attendee.terms_confirmed_at is not None:
        raise ValidationFailed("They have already confirmed the Terms of Engagement.")
    attendee.terms_confirmed_at = timezone.now()
    attendee.save(update_fields=["terms_confirmed_at", "updated_at"])
    _audit(actor, case, "send.terms_confirmed", attendee, participant_id=attendee.participant_id)
    return attendee


@transaction.atomic
def send_meeting_stop(*, actor: Any, case: Case, term: str, note: str) -> SendRecord:
    """A case mediator stops the meeting because a Term of Engagement was broken."""
    case = _locked_case(actor, case)
    if not is_case_mediator(actor, case):
        raise NotPermitted("Only the case's mediators can stop the meeting.")
    record = _record(case)
    errors: dict[str, list[str]] = {}
    if term not in TermBroken.values:
        errors["term"] = ["Choose the term that was broken."]
    text = _text(errors, "note", note, missing="Say what happened, without naming the child.")
    if record.stopped_at is not None:
        errors["__all__"] = ["The meeting has already been stopped."]
    if errors:
        message = errors.get("__all__", ["The stop could not be recorded."])[0]
        raise ValidationFailed(message, field_errors=errors)
    record.stopped_at = timezone.now()
    record.stopped_term = term
    record.stopped_note = text
    record.save(update_fields=["stopped_at", "stopped_term", "stopped_note", "updated_at"])
    _audit(actor, case, "send.meeting_stopped", record, term=term)
    return record


# 5. Outcome


@transaction.atomic
def send_action_add(
    *,
    actor: Any,
    case: Case,
    description: str,
    owner: str,
    owner_name: str = "",
    timescale: str = "",
    agreed_due: dt.date | None = None,
) -> SendAction:
    """Record an agreed action and who does it. An LA (or health) action is due by its reg 44
    rule, counted from the meeting, or by a date agreed in writing; its clock reminds the LA
    officer and the family sees its status and due date."""
    case = _locked_case(actor, case)
    record = _record(case)
    errors: dict[str, list[str]] = {}
    text = _text(errors, "description", description, missing="Say what has been agreed.")
    name = _text(errors, "owner_name", owner_name)
    if owner not in ActionOwner.values:
        errors["owner"] = ["Choose who does this action: every agreed action needs an owner."]
    if timescale not in ActionTimescale.values:
        errors["timescale"] = ["Choose where the due date comes from."]
    statutory = owner in (ActionOwner.LA, ActionOwner.HEALTH)
    if statutory and timescale == "":
        errors["timescale"] = ["Choose the reg 44 time limit, or the timescale agreed in writing."]
    if timescale == ActionTimescale.AGREED:
        if not isinstance(agreed_due, dt.date):
            errors["agreed_due"] = ["Enter the date agreed in writing."]
        elif agreed_due < timezone.localdate():
            errors["agreed_due"] = ["The agreed date must be today or later."]
    if errors:
        raise ValidationFailed("The action could not be recorded.", field_errors=errors)
    agreed_on = record.meeting_ended_at or timezone.now()
    due_at: dt.datetime | None = None
    if timescale == ActionTimescale.AGREED and agreed_due is not None:
        due_at = london_wall_time(agreed_due, dt.time(17, 0))
    elif timescale:
        due_at = clocks.due_from_rule(case, timescale, agreed_on)
    action = SendAction.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        description=text,
        owner=owner,
        owner_name=name,
        timescale=timescale,
        due_at=due_at,
        recorded_by=actor,
    )
    if due_at is not None and statutory:
        from accord.cases.models import ParticipantRole

        officer = (
            Participant.objects.filter(case=case, role=ParticipantRole.LA_OFFICER)
            .order_by("id")
            .first()
        )
        deadline = clocks.clock_start_due(
            actor=actor,
            case=case,
            code=timescale if timescale != ActionTimescale.AGREED else "send.la_action_agreed",
            due_at=due_at,
            title=f"{ActionOwner(owner).label}: {text[:150]}",
            concerns=officer if owner == ActionOwner.LA else None,
        )
        action.deadline = deadline
        action.save(update_fields=["deadline", "updated_at"])
    _audit(actor, case, "send.action_added", action, owner=owner, timescale=timescale)
    return action


@transaction.atomic
def send_action_done(*, actor: Any, action: SendAction, note: str = "") -> SendAction:
    """Record that an agreed action was done (meets its clock)."""
    from accord.deadlines.models import DeadlineStatus
    from accord.deadlines.services import deadline_meet

    case = _locked_case(actor, action.case)
    action = SendAction.objects.select_for_update().get(pk=action.pk, case=case)
    if action.done_at is not None:
        raise ValidationFailed("This action is already recorded as done.")
    errors: dict[str, list[str]] = {}
    text = _text(errors, "note", note)
    if errors:
        raise ValidationFailed("The action could not be updated.", field_errors=errors)
    action.done_at = timezone.now()
    action.done_note = text
    action.save(update_fields=["done_at", "done_note", "updated_at"])
    if action.deadline is not None and action.deadline.status == DeadlineStatus.OPEN:
        deadline_meet(actor=None, deadline=action.deadline, note="The agreed action was done.")
    _audit(actor, case, "send.action_done", action, on_time=action.done_on_time)
    return action


def _participants_to_share(case: Case) -> list[Participant]:
    return list(Participant.objects.filter(case=case).order_by("id"))


def _decision_says(record: SendRecord) -> dict[str, Any]:
    """What a SEND document says of the local authority's decision."""
    return {
        "decision": record.la_decision,
        "notice": record.decision_notice_date,
        "la": record.commissioning_la,
    }


def send_outcome_issue(
    *, actor: Any, case: Case, agreement: str, ehc_wording_note: str = ""
) -> SendRecord:
    """Issue the Mediation Outcome (agreed actions, who, by when) through the document pipeline
    and share it with every participant; meets the 24-hour service standard clock.

    The PDF is rendered before the short transaction that stores it, which checks everything
    again and renders it again if the actions changed meanwhile (accord.documents.produce).
    """
    from accord.documents.produce import render_then_store
    from accord.documents.services import document_prepare_pdf

    def look(lock: bool) -> tuple[Case, SendRecord, list[SendAction]]:
        return _outcome_look(actor, case, agreement, ehc_wording_note, lock=lock)

    def render(seen: tuple[Case, SendRecord, list[SendAction]]) -> Any:
        found, record, actions = seen
        return document_prepare_pdf(
            actor=actor,
            case=found,
            template_code="send-outcome",
            context={"record": record, "actions": actions},
        )

    def says(seen: tuple[Case, SendRecord, list[SendAction]]) -> Any:
        _, record, actions = seen
        return {
            **_decision_says(record),
            "agreement": record.agreement,
            "note": record.ehc_wording_note,
            "actions": [
                [a.description, a.owner, a.owner_name, a.due_at, a.timescale] for a in actions
            ],
        }

    return render_then_store(
        look=look,
        render=render,
        store=lambda now, pdf: _outcome_store(actor, *now, pdf),
        says=says,
        refusal=(
            "The agreed actions changed while the Mediation Outcome was being made, so it was "
            "not issued. Check them and issue it again."
        ),
    )


def _outcome_look(
    actor: Any, case: Case, agreement: str, ehc_wording_note: str, *, lock: bool
) -> tuple[Case, SendRecord, list[SendAction]]:
    """Check the outcome can be issued; the record as it will read (not saved), the actions."""
    case = _locked_case(actor, case, lock=lock)
    record = _record(case, lock=lock)
    errors: dict[str, list[str]] = {}
    if record.meeting_ended_at is None:
        raise ValidationFailed("The Mediation Outcome follows the meeting: hold the meeting first.")
    if record.outcome_issued_at is not None:
        raise ValidationFailed("The Mediation Outcome has already been issued.")
    if agreement not in AgreementReached.values:
        errors["agreement"] = ["Say whether agreement was reached in full, in part or not at all."]
    note = _text(errors, "ehc_wording_note", ehc_wording_note)
    actions = list(SendAction.objects.filter(case=case).order_by("id"))
    if agreement in (AgreementReached.FULL, AgreementReached.PART) and not actions:
        errors["agreement"] = ["Record the agreed actions before issuing an agreement."]
    if errors:
        raise ValidationFailed("The outcome could not be issued.", field_errors=errors)
    record.agreement = agreement
    record.ehc_wording_note = note
    return case, record, actions


def _outcome_store(
    actor: Any, case: Case, record: SendRecord, actions: list[SendAction], pdf: Any
) -> SendRecord:
    """The short write half of `send_outcome_issue`, inside its transaction with the rows locked."""
    from accord.documents.services import document_share, document_store

    version = document_store(
        actor=actor,
        case=case,
        rendered=pdf,
        title="Mediation Outcome",
        document_code="send-outcome",
    )
    document_share(actor=actor, version=version, participants=_participants_to_share(case))
    record.outcome_version = version
    record.outcome_issued_at = timezone.now()
    record.save(
        update_fields=[
            "agreement",
            "ehc_wording_note",
            "outcome_version",
            "outcome_issued_at",
            "updated_at",
        ]
    )
    clocks.clock_meet(
        actor=actor, case=case, code=OUTCOME, note="The Mediation Outcome was issued."
    )
    agreement = record.agreement
    _audit(actor, case, "send.outcome_issued", record, agreement=agreement, version_id=version.pk)
    if record.certificate_needed:
        start = record.meeting_ended_at or timezone.now()
        clocks.clock_start(actor=actor, case=case, code=CERT_AFTER, start=start)
    case_advance(actor=actor, case=case, event="outcome_issued")
    return record


# 6. Certificate


def certificate_kind_for(record: SendRecord) -> str:
    """Which certificate the case needs now."""
    if record.family_choice == FamilyChoice.DECLINED:
        return CertificateKind.NO_MEDIATION
    if record.meeting_ended_at is None and record.not_arranged_at is not None:
        return CertificateKind.NOT_ARRANGED
    return CertificateKind.AFTER_MEDIATION


def send_certificate_issue(*, actor: Any, case: Case) -> SendCertificate:
    """Issue the mediation certificate through the document pipeline, stating the appeal deadline
    (the later of 2 months from the decision notice and 1 month from the certificate), and share
    it and the appeal deadline with the family.

    The PDF is rendered before the short transaction that stores it, which checks everything
    again and renders it again if what it says changed meanwhile (accord.documents.produce).
    """
    from accord.documents.produce import render_then_store
    from accord.documents.services import document_prepare_pdf

    def render(seen: _CertificatePlan) -> Any:
        return document_prepare_pdf(
            actor=actor, case=seen.case, template_code="send-certificate", context=seen.context
        )

    return render_then_store(
        look=lambda lock: _certificate_look(actor, case, lock=lock),
        render=render,
        store=lambda now, pdf: _certificate_store(actor, now, pdf),
        says=lambda seen: {
            **_decision_says(seen.context["record"]),
            **{k: v for k, v in seen.context.items() if k != "record"},
        },
        refusal=(
            "The case changed while the certificate was being made, so it was not issued. "
            "Issue it again."
        ),
    )


@dataclass(frozen=True)
class _CertificatePlan:
    """A certificate checked and worked out, before it is stored: its case, the moment it is
    issued and what its PDF says."""

    case: Case
    now: dt.datetime
    context: dict[str, Any]


def _certificate_look(actor: Any, case: Case, *, lock: bool) -> _CertificatePlan:
    """Check the certificate can be issued and work out what it says (rows locked with `lock`)."""
    case = _locked_case(actor, case, lock=lock)
    record = _record(case, lock=lock)
    if not record.certificate_needed:
        raise ValidationFailed(
            "No certificate is needed: an appeal only about the school named needs none."
        )
    kind = certificate_kind_for(record)
    if kind == CertificateKind.AFTER_MEDIATION and record.meeting_ended_at is None:
        raise ValidationFailed(
            "The mediator's certificate follows the meeting: hold it, or record that it could "
            "not be arranged or that the family does not want mediation."
        )
    if SendCertificate.objects.filter(case=case, kind=kind).exists():
        raise ValidationFailed("This certificate has already been issued.")
    now = timezone.now()
    today = london_date(now)
    from_decision = clocks.date_from_rule(case, APPEAL_FROM_DECISION, record.decision_notice_date)
    from_certificate = clocks.date_from_rule(case, APPEAL_FROM_CERTIFICATE, today)
    appeal = rules.appeal_deadline(from_decision=from_decision, from_certificate=from_certificate)
    context = {
        "record": record,
        "kind": kind,
        "kind_label": CertificateKind(kind).label,
        "issued_on": today,
        "appeal_deadline": appeal,
        "from_decision": from_decision,
        "from_certificate": from_certificate,
    }
    return _CertificatePlan(case, now, context)


def _certificate_store(actor: Any, plan: _CertificatePlan, pdf: Any) -> SendCertificate:
    """The short write half of `send_certificate_issue`, inside its transaction."""
    from accord.documents.services import document_share, document_store

    case, kind, appeal = plan.case, plan.context["kind"], plan.context["appeal_deadline"]
    version = document_store(
        actor=actor,
        case=case,
        rendered=pdf,
        title="Mediation certificate",
        document_code=f"send-certificate-{kind}",
    )
    family = clocks.family_party(case)
    if family is not None:
        document_share(actor=actor, version=version, participants=[family])
    certificate = SendCertificate.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        kind=kind,
        issued_at=plan.now,
        appeal_deadline=appeal,
        version=version,
        issued_by=actor,
    )
    for code in CERTIFICATE_CLOCKS:
        clocks.clock_meet(actor=actor, case=case, code=code, note="The certificate was issued.")
    clocks.clock_start_due(
        actor=actor,
        case=case,
        code=APPEAL,
        due_at=london_wall_time(appeal, dt.time(23, 59)),
        title="Last day to appeal to the SEND Tribunal",
        concerns=family,
    )
    _audit(
        actor,
        case,
        "send.certificate_issued",
        certificate,
        kind=kind,
        appeal_deadline=appeal.isoformat(),
        version_id=version.pk,
    )
    return certificate


def meeting_ended(actor: Any, case: Case, ended_at: dt.datetime) -> None:
    """The meeting was held: start the 24-hour outcome clock and move the case to its outcome.

    Called from the session-ended hook inside mediation's transaction.
    """
    record = SendRecord.objects.select_for_update().filter(case=case).first()
    if record is None or record.meeting_ended_at is not None:
        return
    record.meeting_ended_at = ended_at
    record.save(update_fields=["meeting_ended_at", "updated_at"])
    # The service standard is 24 hours (the rule's unit) from the moment the meeting ended,
    # not close of business; the rule in force when the case opened sets the period.
    clocks.clock_start(
        actor=actor,
        case=case,
        code=OUTCOME,
        start=ended_at,
        title="Share the Mediation Outcome with everyone",
    )
    _audit(actor, case, "send.meeting_held", record)
    case_advance(actor=actor, case=case, event="send_meeting_held")
