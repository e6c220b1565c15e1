"""Raising a concern, the threshold decision, and closing a concern."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accord.cases.models import Case
from accord.core.errors import NotFoundOrHidden, ValidationFailed
from accord.organisations.models import Role
from accord.organisations.selectors import roles_in
from accord.safeguarding import policy
from accord.safeguarding.models import (
    CaseHold,
    ConcernSource,
    ConcernStatus,
    ConcernSubject,
    ConsultedRole,
    ReferralStatus,
    SafeguardingConcern,
    ThresholdDecision,
)
from accord.safeguarding.services.common import (
    LONG_TEXT,
    RESOLVED_BY_HAND,
    SHORT_TEXT,
    audit,
    clean_moment,
    clean_text,
    locked_concern,
    mediator_case,
    records_case,
)

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
    allegation = clean_text(
        errors, "allegation", allegation, missing="Describe what is alleged.", limit=LONG_TEXT
    )
    subject_name = clean_text(
        errors,
        "subject_name",
        subject_name,
        missing="Enter the name of the person at risk, or how they are known.",
        limit=SHORT_TEXT,
    )
    alleged_by = clean_text(
        errors, "alleged_by", alleged_by, missing="Say who made the allegation.", limit=SHORT_TEXT
    )
    alleged_against = clean_text(
        errors, "alleged_against", alleged_against, missing="", limit=SHORT_TEXT, required=False
    )
    if not isinstance(immediate_danger, bool):
        errors["immediate_danger"] = ["Say whether anyone is in immediate danger."]
    action_taken = clean_text(
        errors,
        "action_taken",
        action_taken,
        missing="Someone is in immediate danger: record the action taken now, such as "
        "“999 called at 14:05” and any police reference.",
        limit=LONG_TEXT,
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
    told = _tell_the_audience(concern=concern, case=case, actor=actor)
    audit(
        actor,
        case,
        "concern_raised",
        concern,
        concern_id=concern.pk,
        source=source,
        subject_kind=subject_kind,
        immediate_danger=immediate_danger,
        told=told,
    )
    return concern


def _tell_the_audience(*, concern: SafeguardingConcern, case: Case, actor: Any) -> list[int]:
    """Email the restricted audience at once that a concern awaits them; returns who was told.

    The email goes through the deadline engine's outbox, written in this transaction, so it is
    sent if and only if the concern is saved. It names the case reference and the raiser only:
    nothing of the concern, and not the word "safeguarding", since inboxes are shared and
    forwarded.
    """
    from accord.deadlines import conf
    from accord.deadlines.models import OutboundEmail
    from accord.deadlines.tasks import deliver_email, enqueue_after_commit

    now = timezone.now()
    link = conf.site_url()
    if link:
        link += reverse("cases:detail", kwargs={"pk": case.pk})
    told = []
    for person in policy.restricted_audience(case):
        if person.pk == getattr(actor, "pk", None) or not person.email:
            continue
        body = render_to_string(
            "safeguarding/email/concern_raised.txt",
            {
                "recipient": person,
                "raiser": actor,
                "case": case,
                "service": case.organisation,
                "urgent": concern.immediate_danger,
                "link": link,
            },
        )
        email = OutboundEmail.objects.create(
            organisation_id=case.organisation_id,
            message_id=f"<accord.concern.{concern.pk}.{person.pk}@{conf.message_id_domain()}>",
            to_email=person.email,
            subject=f"A concern needs your attention on case {case.reference}",
            body=body,
            next_attempt_at=now,
        )
        enqueue_after_commit(deliver_email, email.pk)
        told.append(person.pk)
    return told


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
    concern = locked_concern(concern)
    case = mediator_case(actor, concern.case, "record the threshold decision")
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
    reasons = clean_text(
        errors, "reasons", reasons, missing="Give the reasons for the decision.", limit=LONG_TEXT
    )
    decided_at = clean_moment(
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
    audit(
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


@transaction.atomic
def concern_close(*, actor: Any, concern: SafeguardingConcern, reason: str) -> SafeguardingConcern:
    """Close a concern when the service has nothing further to do about it."""
    concern = locked_concern(concern)
    case = records_case(actor, concern.case)
    if concern.is_closed:
        return concern
    if CaseHold.objects.filter(concern=concern, decided_at__isnull=True).exists():
        raise ValidationFailed(
            "The mediation is paused for this concern: record whether it resumes or ends first."
        )
    waiting = concern.referrals.filter(status=ReferralStatus.OFFERED).exclude(
        deadline__status__in=RESOLVED_BY_HAND
    )
    if waiting.exists():
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
    reason = clean_text(
        errors, "reason", reason, missing="Say why the concern is closed.", limit=LONG_TEXT
    )
    if errors:
        raise ValidationFailed("The concern could not be closed.", field_errors=errors)
    concern.status = ConcernStatus.CLOSED
    concern.closed_at = timezone.now()
    concern.closed_reason = reason
    concern.save(update_fields=["status", "closed_at", "closed_reason", "updated_at"])
    audit(actor, case, "concern_closed", concern, concern_id=concern.pk)
    return concern
