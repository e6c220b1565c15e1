"""Every change to safeguarding records: restricted, validated, audited, atomic.

Audit events written here are always `visibility="restricted"`, and their details carry ids and
kinds only, never what was alleged, shared or referred: the audit trail is read by more people,
for longer, than these records. Deadlines are created in the deadline engine, also restricted.

The self-referral clock (DOMAIN.md section 4): when the mediator decides a referral is needed, the
parent who raised the concern may refer themselves by 10:00 on the next working day after the
decision (`safeguarding.self_referral`, computed by the deadline engine in the service's region).
If that passes unconfirmed, `self_referral_lapse` makes the service's own referral due at once and
escalates it. `self_referrals_lapse_due` is the periodic sweep that finds those referrals; the
worker's loop calls it (see docs/safeguarding.md).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases.models import Case, Participant, ParticipantRole
from accord.core.errors import DomainError, NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.organisations.models import Role
from accord.organisations.selectors import roles_in
from accord.safeguarding import policy
from accord.safeguarding.models import (
    CaseHold,
    ConcernSource,
    ConcernStatus,
    ConcernSubject,
    ConsultedRole,
    Disclosure,
    HoldDecision,
    LegalBasis,
    Referral,
    ReferralMaker,
    ReferralStatus,
    SafeguardingConcern,
    ThresholdDecision,
)

logger = logging.getLogger(__name__)

RESTRICTED = "restricted"
SELF_REFERRAL_RULE = "safeguarding.self_referral"
SERVICE_REFERRAL_RULE = "safeguarding.service_referral"

#: Stages in which sessions or meetings are held or outcomes and certificates issued: a case paused
#: for safeguarding may not move into any of them.
SESSION_STAGES = frozenset({"mediation", "meeting", "outcome", "certificate"})

#: Said on the case's (non-restricted) timeline when mediation ends after a safeguarding decision.
NEUTRAL_END_REASON = "The mediator decided that the mediation should end."

#: Participant roles who may make a self-referral as the child's parent or carer.
PARENT_ROLES = frozenset({ParticipantRole.PARTY, ParticipantRole.PARENT_CARER})

_SHORT = 200
_LONG = 5000


class CasePaused(DomainError):
    """The case is paused for safeguarding, so the operation must wait."""

    status_code = 409


def ensure_case_not_paused(case: Case, *, doing: str) -> None:
    """Refuse `doing` (e.g. "booking a session") on a case paused for safeguarding.

    Session booking, meeting arrangements and issuing outcome documents or certificates must call
    this before they change anything. The message names no detail of the safeguarding record.
    """
    if case.is_paused:
        raise CasePaused(
            f"This case is paused for safeguarding, so {doing} is not possible. "
            "The mediator must record a decision to resume the mediation first."
        )


def ensure_stage_allowed_while_paused(case: Case, *, to_stage: str) -> None:
    """Refuse a move of a paused case into a stage where sessions are held or outcomes issued."""
    if case.is_paused and to_stage in SESSION_STAGES:
        label = (
            case.workflow.stage(to_stage).label if case.workflow.has_stage(to_stage) else to_stage
        )
        ensure_case_not_paused(case, doing=f"moving it to “{label}”")


# Checks shared by the services below


def _records_case(actor: Any, case: Case) -> Case:
    """Lock and return the case if the actor may read its safeguarding records; 404 otherwise."""
    case = Case.objects.select_for_update().select_related("organisation").get(pk=case.pk)
    if not policy.can_read_records(actor, case):
        raise NotFoundOrHidden("No such case.")
    return case


def _mediator_case(actor: Any, case: Case, what: str) -> Case:
    """Like `_records_case`, and the actor must also be the case's lead or co-mediator."""
    case = _records_case(actor, case)
    if not policy.can_decide(actor, case):
        raise NotPermitted(f"Only the case's mediator can {what}.")
    return case


def _locked_concern(concern: SafeguardingConcern) -> SafeguardingConcern:
    try:
        return SafeguardingConcern.objects.select_for_update().get(pk=concern.pk)
    except (SafeguardingConcern.DoesNotExist, ValueError, TypeError):
        raise NotFoundOrHidden("No such safeguarding concern.") from None


def _text(
    errors: dict[str, list[str]],
    name: str,
    value: Any,
    *,
    missing: str,
    limit: int,
    required: bool = True,
) -> str:
    """Strip a text input, recording a specific error if it is missing or too long."""
    text = str(value or "").strip()
    if required and not text:
        errors[name] = [missing]
    elif len(text) > limit:
        errors[name] = [f"This must be {limit:,} characters or fewer."]
    return text


def _moment(
    errors: dict[str, list[str]],
    name: str,
    value: Any,
    *,
    now: dt.datetime,
    not_before: dt.datetime | None = None,
    not_before_label: str = "",
) -> dt.datetime:
    """An aware moment that is not in the future (and not before `not_before`)."""
    if value is None:
        return now
    if not isinstance(value, dt.datetime) or timezone.is_naive(value):
        errors[name] = ["Enter a real date and time."]
        return now
    if value > now + dt.timedelta(minutes=1):
        errors[name] = ["This cannot be in the future."]
    elif not_before is not None and value < not_before:
        errors[name] = [f"This cannot be before {not_before_label}."]
    return value


def _day(
    errors: dict[str, list[str]], name: str, value: Any, *, today: dt.date, not_before: dt.date
) -> dt.date | None:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        errors[name] = ["Enter the date of the referral as a real date."]
        return None
    if value > today:
        errors[name] = ["The date of the referral cannot be in the future."]
    elif value < not_before:
        errors[name] = ["The date of the referral cannot be before the concern was raised."]
    return value


def _audit(actor: Any, case: Case, action: str, target: Any, **details: Any) -> None:
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action=f"safeguarding.{action}",
        target=target,
        case_id=case.pk,
        details=details,
        visibility=RESTRICTED,
    )


def _deadlines() -> Any:
    # Imported on use: the deadline engine depends on cases, and cases' stage guard imports us.
    from accord.deadlines import services as deadline_services

    return deadline_services


# Raising and deciding


@transaction.atomic
def concern_raise(
    *,
    actor: Any,
    case: Case,
    source: str,
    allegation: str,
    subject_kind: str,
    subject_name: str,
    alleged_by: str,
    alleged_against: str = "",
    immediate_danger: bool = False,
    action_taken: str = "",
) -> SafeguardingConcern:
    """Record a safeguarding concern; any member of staff on the case may, at any time."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not policy.can_raise_concern(actor, case):
        raise NotFoundOrHidden("No such case.")
    errors: dict[str, list[str]] = {}
    if source not in ConcernSource.values:
        errors["source"] = ["Choose when the concern came to light."]
    if subject_kind not in ConcernSubject.values:
        errors["subject_kind"] = ["Choose whether the concern is about a child or an adult."]
    allegation = _text(
        errors, "allegation", allegation, missing="Describe what is alleged.", limit=_LONG
    )
    subject_name = _text(
        errors,
        "subject_name",
        subject_name,
        missing="Enter the name of the person at risk, or how they are known.",
        limit=_SHORT,
    )
    alleged_by = _text(
        errors, "alleged_by", alleged_by, missing="Say who made the allegation.", limit=_SHORT
    )
    alleged_against = _text(
        errors, "alleged_against", alleged_against, missing="", limit=_SHORT, required=False
    )
    if not isinstance(immediate_danger, bool):
        errors["immediate_danger"] = ["Say whether anyone is in immediate danger."]
    action_taken = _text(
        errors,
        "action_taken",
        action_taken,
        missing="Someone is in immediate danger: record the action taken now, such as "
        "“999 called at 14:05” and any police reference.",
        limit=_LONG,
        required=immediate_danger is True,
    )
    if errors:
        raise ValidationFailed("The concern could not be recorded.", field_errors=errors)
    concern = SafeguardingConcern.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        raised_by=actor,
        raised_at=timezone.now(),
        source=source,
        allegation=allegation,
        subject_kind=subject_kind,
        subject_name=subject_name,
        alleged_by=alleged_by,
        alleged_against=alleged_against,
        immediate_danger=immediate_danger,
        action_taken=action_taken,
    )
    _audit(
        actor,
        case,
        "concern_raised",
        concern,
        concern_id=concern.pk,
        source=source,
        subject_kind=subject_kind,
        immediate_danger=immediate_danger,
    )
    return concern


def consulted_role_of(person: Any, case: Case) -> str | None:
    """Whether a person may be consulted on a threshold decision: the case's supervisor or a
    safeguarding lead of the service (None if neither)."""
    if person is None or not getattr(person, "is_active", False):
        return None
    roles = roles_in(person, case.organisation_id)
    if person.pk == case.supervisor_id and roles:
        return ConsultedRole.SUPERVISOR
    if Role.SAFEGUARDING_LEAD in roles:
        return ConsultedRole.SAFEGUARDING_LEAD
    return None


@transaction.atomic
def threshold_decide(
    *,
    actor: Any,
    concern: SafeguardingConcern,
    consulted: Any,
    threshold_met: bool,
    reasons: str,
    referral_needed: bool,
    decided_at: dt.datetime | None = None,
) -> ThresholdDecision:
    """The mediator's decision, having consulted the supervisor or safeguarding lead, on whether
    a child has suffered or is likely to suffer significant harm, and whether to refer."""
    concern = _locked_concern(concern)
    case = _mediator_case(actor, concern.case, "record the threshold decision")
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    if concern.is_closed:
        raise ValidationFailed("This concern is closed; raise a new concern if anything changes.")
    consulted_role = consulted_role_of(consulted, case)
    if consulted is not None and getattr(consulted, "pk", None) == actor.pk:
        errors["consulted"] = [
            "You must consult someone else: the supervisor or safeguarding lead."
        ]
    elif consulted_role is None:
        errors["consulted"] = [
            "Choose the case's supervisor or the service's safeguarding lead: the decision is "
            "made with one of them."
        ]
    if not isinstance(threshold_met, bool):
        errors["threshold_met"] = ["Say whether the significant-harm threshold is met."]
    if not isinstance(referral_needed, bool):
        errors["referral_needed"] = ["Say whether a referral to children's services is needed."]
    elif threshold_met is True and not referral_needed:
        errors["referral_needed"] = [
            "The threshold is met, so a referral to children's services must be made."
        ]
    reasons = _text(
        errors, "reasons", reasons, missing="Give the reasons for the decision.", limit=_LONG
    )
    decided_at = _moment(
        errors,
        "decided_at",
        decided_at,
        now=now,
        not_before=concern.raised_at,
        not_before_label="the concern was raised",
    )
    if errors:
        raise ValidationFailed("The decision could not be recorded.", field_errors=errors)
    assert consulted_role is not None
    decision = ThresholdDecision.objects.create(
        concern=concern,
        decided_by=actor,
        consulted=consulted,
        consulted_role=consulted_role,
        threshold_met=threshold_met,
        reasons=reasons,
        referral_needed=referral_needed,
        decided_at=decided_at,
    )
    _audit(
        actor,
        case,
        "threshold_decided",
        decision,
        concern_id=concern.pk,
        decision_id=decision.pk,
        threshold_met=threshold_met,
        referral_needed=referral_needed,
        consulted_id=consulted.pk,
        consulted_role=consulted_role,
    )
    return decision


# Referrals


def _latest_decision(concern: SafeguardingConcern) -> ThresholdDecision | None:
    return concern.threshold_decisions.order_by("-decided_at", "-id").first()


@transaction.atomic
def self_referral_offer(
    *, actor: Any, concern: SafeguardingConcern, parent: Participant
) -> Referral:
    """Offer the parent who raised the concern the chance to refer themselves, with a restricted
    deadline of 10:00 on the next working day after the decision."""
    concern = _locked_concern(concern)
    case = _mediator_case(actor, concern.case, "offer a self-referral")
    if concern.is_closed:
        raise ValidationFailed("This concern is closed.")
    decision = _latest_decision(concern)
    if decision is None or not decision.referral_needed:
        raise ValidationFailed(
            "Record a threshold decision that a referral is needed before offering a self-referral."
        )
    if not isinstance(parent, Participant) or parent.case_id != case.pk:
        raise ValidationFailed(
            "Choose a parent taking part in this case.",
            field_errors={"parent": ["Choose a parent taking part in this case."]},
        )
    if parent.role not in PARENT_ROLES:
        raise ValidationFailed(
            "Only a parent may make a self-referral.",
            field_errors={"parent": ["Choose the parent who raised the concern."]},
        )
    in_flight = concern.referrals.filter(
        status__in=[ReferralStatus.OFFERED, ReferralStatus.CONFIRMED, ReferralStatus.MADE]
    ).first()
    if in_flight is not None:
        raise ValidationFailed(
            "A referral for this concern is already "
            f"{in_flight.get_status_display().lower()}; there is nothing to offer."
        )
    owner = case.lead_mediator or actor
    deadline = _deadlines().deadline_create(
        actor=actor,
        case=case,
        rule_code=SELF_REFERRAL_RULE,
        start=decision.decided_at,
        owner=owner,
        title="Confirm the parent's referral",
        concerns_participant=parent,
        visible_to_participants=False,
        visibility=RESTRICTED,
    )
    now = timezone.now()
    if deadline.due_at <= now:
        due = timezone.localtime(deadline.due_at)
        raise ValidationFailed(
            f"The time for a self-referral ended at {due:%H:%M} on {due:%A} {due.day} {due:%B %Y}. "
            "Make the referral to children's services yourself now."
        )
    referral = Referral.objects.create(
        concern=concern,
        made_by=ReferralMaker.PARENT,
        parent=parent,
        status=ReferralStatus.OFFERED,
        offered_by=actor,
        offered_at=now,
        due_at=deadline.due_at,
        deadline=deadline,
    )
    _audit(
        actor,
        case,
        "self_referral_offered",
        referral,
        concern_id=concern.pk,
        referral_id=referral.pk,
        participant_id=parent.pk,
        deadline_id=deadline.pk,
        due_at=deadline.due_at,
    )
    return referral


def _locked_referral(referral: Referral) -> Referral:
    try:
        return (
            Referral.objects.select_for_update()
            .select_related("concern", "parent")
            .get(pk=referral.pk)
        )
    except (Referral.DoesNotExist, ValueError, TypeError):
        raise NotFoundOrHidden("No such referral.") from None


def _referral_details(
    errors: dict[str, list[str]],
    *,
    agency: str,
    area: str,
    reference: str,
    referred_by_name: str,
    information_shared: str,
) -> dict[str, str]:
    return {
        "agency": _text(
            errors,
            "agency",
            agency,
            missing="Enter the agency, such as the council's children's social care team.",
            limit=_SHORT,
        ),
        "area": _text(
            errors,
            "area",
            area,
            missing="Enter the local authority area where the child lives.",
            limit=_SHORT,
        ),
        "reference": _text(errors, "reference", reference, missing="", limit=100, required=False),
        "referred_by_name": _text(
            errors,
            "referred_by_name",
            referred_by_name,
            missing="Enter the name of the person who made the referral.",
            limit=_SHORT,
        ),
        "information_shared": _text(
            errors,
            "information_shared",
            information_shared,
            missing="Record what was shared with children's services.",
            limit=_LONG,
        ),
    }


@transaction.atomic
def self_referral_confirm(
    *,
    actor: Any,
    referral: Referral,
    agency: str,
    area: str,
    referred_on: dt.date,
    reference: str = "",
    referred_by_name: str = "",
    information_shared: str,
) -> Referral:
    """Record that the parent made their referral in time, and meet the deadline."""
    referral = _locked_referral(referral)
    case = _records_case(actor, referral.concern.case)
    if referral.status != ReferralStatus.OFFERED:
        raise ValidationFailed(
            f"This self-referral is {referral.get_status_display().lower()}; it cannot be "
            "confirmed now."
        )
    now = timezone.now()
    if referral.due_at is not None and now > referral.due_at:
        due = timezone.localtime(referral.due_at)
        raise ValidationFailed(
            f"The parent's referral had to be confirmed by {due:%H:%M} on {due:%A} {due.day} "
            f"{due:%B %Y}. Make and record the service's own referral instead."
        )
    errors: dict[str, list[str]] = {}
    assert referral.parent is not None
    details = _referral_details(
        errors,
        agency=agency,
        area=area,
        reference=reference,
        referred_by_name=referred_by_name or referral.parent.full_name,
        information_shared=information_shared,
    )
    referred_on_day = _day(
        errors,
        "referred_on",
        referred_on,
        today=timezone.localdate(now),
        not_before=timezone.localdate(referral.concern.raised_at),
    )
    if errors:
        raise ValidationFailed("The self-referral could not be confirmed.", field_errors=errors)
    for name, value in details.items():
        setattr(referral, name, value)
    referral.referred_on = referred_on_day
    referral.status = ReferralStatus.CONFIRMED
    referral.recorded_by = actor
    referral.recorded_at = now
    referral.save()
    if referral.deadline is not None:
        _deadlines().deadline_meet(
            actor=actor, deadline=referral.deadline, note="The parent's referral was confirmed."
        )
    _audit(
        actor,
        case,
        "self_referral_confirmed",
        referral,
        concern_id=referral.concern_id,
        referral_id=referral.pk,
    )
    return referral


@transaction.atomic
def self_referral_lapse(
    *, referral: Referral, actor: Any = None, now: dt.datetime | None = None
) -> Referral:
    """Lapse an unconfirmed self-referral once its time has passed: the service's own referral,
    owned by the case's mediator, becomes due at once and is escalated to the supervisor.

    Safe to call twice or from two workers at once: the row lock and the status check mean only
    the first call does anything; later ones return the referral unchanged.
    """
    return _lapse(referral=referral, actor=actor, now=now)[0]


def _lapse(*, referral: Referral, actor: Any, now: dt.datetime | None) -> tuple[Referral, bool]:
    referral = _locked_referral(referral)
    if referral.status != ReferralStatus.OFFERED:
        return referral, False
    now = now or timezone.now()
    if referral.due_at is None or now < referral.due_at:
        raise ValidationFailed("The parent still has time to make their referral.")
    concern = referral.concern
    case = Case.objects.select_for_update().get(pk=concern.case_id)
    if actor is not None and not policy.can_read_records(actor, case):
        raise NotFoundOrHidden("No such case.")
    # The parent's own deadline is left to the deadline engine's sweep, which marks it missed and
    # tells its owner; here the service's referral becomes due at once and is escalated.
    deadlines = _deadlines()
    owner = case.lead_mediator or case.co_mediator or referral.offered_by
    service_deadline = deadlines.deadline_create_due(
        actor=actor,
        case=case,
        rule_code=SERVICE_REFERRAL_RULE,
        due_at=now,
        owner=owner,
        title="Make the referral now",
        visible_to_participants=False,
        visibility=RESTRICTED,
    )
    service_deadline = deadlines.deadline_escalate_now(
        actor=actor,
        deadline=service_deadline,
        reason="The parent's referral was not confirmed in time: the service must refer now.",
    )
    referral.status = ReferralStatus.NOT_CONFIRMED
    referral.escalation_deadline = service_deadline
    referral.save(update_fields=["status", "escalation_deadline", "updated_at"])
    _audit(
        actor,
        case,
        "self_referral_lapsed",
        referral,
        concern_id=concern.pk,
        referral_id=referral.pk,
        deadline_id=service_deadline.pk,
    )
    return referral, True


def self_referrals_lapse_due(*, now: dt.datetime | None = None) -> int:
    """Lapse every self-referral whose time has passed; returns how many. For the worker's loop.

    Run it after the deadline engine's missed-deadline sweep. Each referral lapses in its own
    transaction, so one failure does not hold up the others.
    """
    now = now or timezone.now()
    lapsed = 0
    due = Referral.objects.filter(status=ReferralStatus.OFFERED, due_at__lte=now).order_by("due_at")
    for referral in due:
        try:
            with transaction.atomic():
                _, changed = _lapse(referral=referral, actor=None, now=now)
        except DomainError:
            logger.exception("Could not lapse self-referral %s", referral.pk)
            continue
        lapsed += int(changed)
    return lapsed


@transaction.atomic
def referral_record(
    *,
    actor: Any,
    concern: SafeguardingConcern,
    agency: str,
    area: str,
    referred_at: dt.datetime,
    reference: str = "",
    referred_by_name: str,
    contact_name: str,
    information_shared: str,
) -> Referral:
    """Record the service's referral to children's services, and log it as a disclosure made
    because a child is at risk of significant harm."""
    concern = _locked_concern(concern)
    case = _records_case(actor, concern.case)
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    details = _referral_details(
        errors,
        agency=agency,
        area=area,
        reference=reference,
        referred_by_name=referred_by_name,
        information_shared=information_shared,
    )
    contact_name = _text(
        errors,
        "contact_name",
        contact_name,
        missing="Enter who you spoke to, or “Duty team” if you did not get a name.",
        limit=_SHORT,
    )
    if referred_at is None:
        errors["referred_at"] = ["Enter when the referral was made."]
    else:
        referred_at = _moment(
            errors,
            "referred_at",
            referred_at,
            now=now,
            not_before=concern.raised_at,
            not_before_label="the concern was raised",
        )
    if errors:
        raise ValidationFailed("The referral could not be recorded.", field_errors=errors)
    referral = Referral.objects.create(
        concern=concern,
        made_by=ReferralMaker.SERVICE,
        status=ReferralStatus.MADE,
        referred_on=timezone.localdate(referred_at),
        recorded_by=actor,
        recorded_at=now,
        **details,
    )
    disclosure = Disclosure.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        concern=concern,
        referral=referral,
        legal_basis=LegalBasis.CHILD_AT_RISK,
        information_shared=details["information_shared"],
        recipient_name=contact_name,
        recipient_organisation=details["agency"],
        disclosed_at=referred_at,
        recorded_by=actor,
    )
    _audit(
        actor,
        case,
        "referral_recorded",
        referral,
        concern_id=concern.pk,
        referral_id=referral.pk,
        disclosure_id=disclosure.pk,
    )
    _audit(
        actor,
        case,
        "disclosure_recorded",
        disclosure,
        concern_id=concern.pk,
        disclosure_id=disclosure.pk,
        legal_basis=disclosure.legal_basis,
    )
    return referral


@transaction.atomic
def disclosure_record(
    *,
    actor: Any,
    case: Case,
    legal_basis: str,
    information_shared: str,
    recipient_name: str,
    recipient_organisation: str,
    disclosed_at: dt.datetime,
    concern: SafeguardingConcern | None = None,
) -> Disclosure:
    """Log one disclosure of information outside the mediation, with its legal basis."""
    case = _records_case(actor, case)
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    if concern is not None and concern.case_id != case.pk:
        errors["concern"] = ["Choose a concern on this case."]
    if legal_basis not in LegalBasis.values:
        errors["legal_basis"] = ["Choose the legal basis for the disclosure."]
    information_shared = _text(
        errors,
        "information_shared",
        information_shared,
        missing="Record what was shared.",
        limit=_LONG,
    )
    recipient_name = _text(
        errors,
        "recipient_name",
        recipient_name,
        missing="Enter the name of the person it was shared with.",
        limit=_SHORT,
    )
    recipient_organisation = _text(
        errors,
        "recipient_organisation",
        recipient_organisation,
        missing="Enter their organisation.",
        limit=_SHORT,
    )
    if disclosed_at is None:
        errors["disclosed_at"] = ["Enter when the information was shared."]
    else:
        disclosed_at = _moment(
            errors,
            "disclosed_at",
            disclosed_at,
            now=now,
            not_before=case.opened_at,
            not_before_label="the case was opened",
        )
    if errors:
        raise ValidationFailed("The disclosure could not be recorded.", field_errors=errors)
    disclosure = Disclosure.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        concern=concern,
        legal_basis=legal_basis,
        information_shared=information_shared,
        recipient_name=recipient_name,
        recipient_organisation=recipient_organisation,
        disclosed_at=disclosed_at,
        recorded_by=actor,
    )
    _audit(
        actor,
        case,
        "disclosure_recorded",
        disclosure,
        concern_id=getattr(concern, "pk", None),
        disclosure_id=disclosure.pk,
        legal_basis=legal_basis,
    )
    return disclosure


# Pausing, resuming and ending


@transaction.atomic
def investigation_open(
    *,
    actor: Any,
    concern: SafeguardingConcern,
    investigating_agency: str,
    reasons: str,
    investigation_reference: str = "",
) -> CaseHold:
    """Record that an investigation is open and pause the mediation while it is."""
    concern = _locked_concern(concern)
    case = _records_case(actor, concern.case)
    if concern.is_closed:
        raise ValidationFailed("This concern is closed.")
    if case.is_closed:
        raise ValidationFailed("The case is closed, so there is no mediation to pause.")
    if case.is_paused:
        raise ValidationFailed("The case is already paused.")
    errors: dict[str, list[str]] = {}
    investigating_agency = _text(
        errors,
        "investigating_agency",
        investigating_agency,
        missing="Enter the agency investigating, such as the council's children's services.",
        limit=_SHORT,
    )
    investigation_reference = _text(
        errors,
        "investigation_reference",
        investigation_reference,
        missing="",
        limit=100,
        required=False,
    )
    reasons = _text(
        errors, "reasons", reasons, missing="Say why the mediation is paused.", limit=_LONG
    )
    if errors:
        raise ValidationFailed("The investigation could not be recorded.", field_errors=errors)
    now = timezone.now()
    hold = CaseHold.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        concern=concern,
        investigating_agency=investigating_agency,
        investigation_reference=investigation_reference,
        reasons=reasons,
        paused_by=actor,
        paused_at=now,
    )
    case.is_paused = True
    case.save(update_fields=["is_paused", "updated_at"])
    concern.status = ConcernStatus.UNDER_INVESTIGATION
    concern.save(update_fields=["status", "updated_at"])
    _audit(
        actor,
        case,
        "investigation_opened",
        hold,
        concern_id=concern.pk,
        hold_id=hold.pk,
    )
    return hold


@transaction.atomic
def mediation_resume_or_end(*, actor: Any, case: Case, decision: str, reasons: str) -> CaseHold:
    """Lift the safeguarding pause with a recorded decision: resume the mediation, or end it and
    close the case."""
    case = _mediator_case(actor, case, "decide whether the mediation resumes or ends")
    hold = CaseHold.objects.select_for_update().filter(case=case, decided_at__isnull=True).first()
    if hold is None:
        raise ValidationFailed("The case is not paused for safeguarding.")
    errors: dict[str, list[str]] = {}
    if decision not in HoldDecision.values:
        errors["decision"] = ["Choose whether the mediation resumes or ends."]
    reasons = _text(
        errors, "reasons", reasons, missing="Give the reasons for the decision.", limit=_LONG
    )
    if errors:
        raise ValidationFailed("The decision could not be recorded.", field_errors=errors)
    hold.decision = decision
    hold.decision_reasons = reasons
    hold.decided_by = actor
    hold.decided_at = timezone.now()
    hold.save(
        update_fields=["decision", "decision_reasons", "decided_by", "decided_at", "updated_at"]
    )
    case.is_paused = False
    case.save(update_fields=["is_paused", "updated_at"])
    _audit(
        actor,
        case,
        "mediation_resumed" if decision == HoldDecision.RESUME else "mediation_ended",
        hold,
        hold_id=hold.pk,
        concern_id=hold.concern_id,
        decision=decision,
    )
    if decision == HoldDecision.END and not case.is_closed:
        from accord.cases.services import case_change_stage

        case_change_stage(actor=actor, case=case, to_stage="closed", reason=NEUTRAL_END_REASON)
    return hold


@transaction.atomic
def concern_close(*, actor: Any, concern: SafeguardingConcern, reason: str) -> SafeguardingConcern:
    """Close a concern when the service has nothing further to do about it."""
    concern = _locked_concern(concern)
    case = _records_case(actor, concern.case)
    if concern.is_closed:
        return concern
    if CaseHold.objects.filter(concern=concern, decided_at__isnull=True).exists():
        raise ValidationFailed(
            "The mediation is paused for this concern: record whether it resumes or ends first."
        )
    if concern.referrals.filter(status=ReferralStatus.OFFERED).exists():
        raise ValidationFailed(
            "A self-referral is still waiting to be confirmed: confirm it or let it lapse first."
        )
    referrals = concern.referrals
    if (
        referrals.filter(status=ReferralStatus.NOT_CONFIRMED).exists()
        and not referrals.filter(status=ReferralStatus.MADE).exists()
    ):
        raise ValidationFailed(
            "The parent's referral was not confirmed, so the service's own referral must be "
            "recorded before the concern is closed."
        )
    errors: dict[str, list[str]] = {}
    reason = _text(errors, "reason", reason, missing="Say why the concern is closed.", limit=_LONG)
    if errors:
        raise ValidationFailed("The concern could not be closed.", field_errors=errors)
    concern.status = ConcernStatus.CLOSED
    concern.closed_at = timezone.now()
    concern.closed_reason = reason
    concern.save(update_fields=["status", "closed_at", "closed_reason", "updated_at"])
    _audit(actor, case, "concern_closed", concern, concern_id=concern.pk)
    return concern
