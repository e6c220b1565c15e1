"""Referrals to children's services and every disclosure outside the mediation.

The self-referral clock (DOMAIN.md section 4): when the mediator decides a referral is needed, the
parent who raised the concern may refer themselves by 10:00 on the next working day after the
decision (`safeguarding.self_referral`, computed by the deadline engine in the service's region).
If that passes unconfirmed, `self_referral_lapse` makes the service's own referral due at once and
escalates it. `self_referrals_lapse_due` is the periodic sweep that finds those referrals; the
worker's loop (`accord worker`) calls it after the deadline engine's missed-deadline sweep.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.cases.models import Case, Participant
from accord.core.errors import DomainError, NotFoundOrHidden, ValidationFailed
from accord.safeguarding import policy
from accord.safeguarding.models import (
    Disclosure,
    LegalBasis,
    Referral,
    ReferralMaker,
    ReferralStatus,
    SafeguardingConcern,
    ThresholdDecision,
)
from accord.safeguarding.services.common import (
    LONG_TEXT,
    PARENT_ROLES,
    RESOLVED_BY_HAND,
    RESTRICTED,
    SELF_REFERRAL_RULE,
    SERVICE_REFERRAL_RULE,
    SHORT_TEXT,
    audit,
    clean_day,
    clean_moment,
    clean_text,
    deadline_services,
    locked_concern,
    mediator_case,
    records_case,
)

logger = logging.getLogger(__name__)


# Referrals


def _latest_decision(concern: SafeguardingConcern) -> ThresholdDecision | None:
    return concern.threshold_decisions.order_by("-decided_at", "-id").first()


@transaction.atomic
def self_referral_offer(
    *, actor: Any, concern: SafeguardingConcern, parent: Participant
) -> Referral:
    """Offer the parent who raised the concern the chance to refer themselves, with a restricted
    deadline of 10:00 on the next working day after the decision."""
    concern = locked_concern(concern)
    case = mediator_case(actor, concern.case, "offer a self-referral")
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
    deadline = deadline_services().deadline_create(
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
    audit(
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
            Referral.objects.select_for_update(of=("self",))
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
        "agency": clean_text(
            errors,
            "agency",
            agency,
            missing="Enter the agency, such as the council's children's social care team.",
            limit=SHORT_TEXT,
        ),
        "area": clean_text(
            errors,
            "area",
            area,
            missing="Enter the local authority area where the child lives.",
            limit=SHORT_TEXT,
        ),
        "reference": clean_text(
            errors, "reference", reference, missing="", limit=100, required=False
        ),
        "referred_by_name": clean_text(
            errors,
            "referred_by_name",
            referred_by_name,
            missing="Enter the name of the person who made the referral.",
            limit=SHORT_TEXT,
        ),
        "information_shared": clean_text(
            errors,
            "information_shared",
            information_shared,
            missing="Record what was shared with children's services.",
            limit=LONG_TEXT,
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
    case = records_case(actor, referral.concern.case)
    if referral.status != ReferralStatus.OFFERED:
        raise ValidationFailed(
            f"This self-referral is {referral.get_status_display().lower()}; it cannot be "
            "confirmed now."
        )
    now = timezone.now()
    by_hand = referral.deadline is not None and referral.deadline.status in RESOLVED_BY_HAND
    # A deadline marked met (or waived) by hand on the deadlines page may have its details late.
    if referral.due_at is not None and now > referral.due_at and not by_hand:
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
    referred_on_day = clean_day(
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
    if referral.deadline is not None and referral.deadline.is_open:
        deadline_services().deadline_meet(
            actor=actor, deadline=referral.deadline, note="The parent's referral was confirmed."
        )
    audit(
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
    if referral.deadline is not None and referral.deadline.status in RESOLVED_BY_HAND:
        return referral, False  # the case team marked it met or waived it: nothing to escalate
    concern = referral.concern
    case = Case.objects.select_for_update().get(pk=concern.case_id)
    if actor is not None and not policy.can_read_records(actor, case):
        raise NotFoundOrHidden("No such case.")
    # The parent's own deadline is left to the deadline engine's sweep, which marks it missed and
    # tells its owner; here the service's referral becomes due at once and is escalated.
    deadlines = deadline_services()
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
    audit(
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
    due = (
        Referral.objects.filter(status=ReferralStatus.OFFERED, due_at__lte=now)
        .exclude(deadline__status__in=RESOLVED_BY_HAND)
        .order_by("due_at")
    )
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
    concern = locked_concern(concern)
    case = records_case(actor, concern.case)
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
    contact_name = clean_text(
        errors,
        "contact_name",
        contact_name,
        missing="Enter who you spoke to, or “Duty team” if you did not get a name.",
        limit=SHORT_TEXT,
    )
    if referred_at is None:
        errors["referred_at"] = ["Enter when the referral was made."]
    else:
        referred_at = clean_moment(
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
    audit(
        actor,
        case,
        "referral_recorded",
        referral,
        concern_id=concern.pk,
        referral_id=referral.pk,
        disclosure_id=disclosure.pk,
    )
    audit(
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
    case = records_case(actor, case)
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    if concern is not None and concern.case_id != case.pk:
        errors["concern"] = ["Choose a concern on this case."]
    if legal_basis not in LegalBasis.values:
        errors["legal_basis"] = ["Choose the legal basis for the disclosure."]
    information_shared = clean_text(
        errors,
        "information_shared",
        information_shared,
        missing="Record what was shared.",
        limit=LONG_TEXT,
    )
    recipient_name = clean_text(
        errors,
        "recipient_name",
        recipient_name,
        missing="Enter the name of the person it was shared with.",
        limit=SHORT_TEXT,
    )
    recipient_organisation = clean_text(
        errors,
        "recipient_organisation",
        recipient_organisation,
        missing="Enter their organisation.",
        limit=SHORT_TEXT,
    )
    if disclosed_at is None:
        errors["disclosed_at"] = ["Enter when the information was shared."]
    else:
        disclosed_at = clean_moment(
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
    audit(
        actor,
        case,
        "disclosure_recorded",
        disclosure,
        concern_id=getattr(concern, "pk", None),
        disclosure_id=disclosure.pk,
        legal_basis=legal_basis,
    )
    return disclosure
