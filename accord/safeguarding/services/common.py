"""Pieces shared by the safeguarding services: constants, the pause guard, checks, audit."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases.models import Case, ParticipantRole
from accord.core.errors import DomainError, NotFoundOrHidden, NotPermitted
from accord.deadlines.models import DeadlineStatus
from accord.safeguarding import policy
from accord.safeguarding.models import (
    SafeguardingConcern,
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

#: A self-referral deadline the case team resolved by hand on the deadlines page: it never lapses.
RESOLVED_BY_HAND = (DeadlineStatus.MET, DeadlineStatus.WAIVED)

#: Participant roles who may make a self-referral as the child's parent or carer.
PARENT_ROLES = frozenset({ParticipantRole.PARTY, ParticipantRole.PARENT_CARER})

SHORT_TEXT = 200
LONG_TEXT = 5000


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


def records_case(actor: Any, case: Case) -> Case:
    """Lock and return the case if the actor may read its safeguarding records; 404 otherwise."""
    case = (
        Case.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=case.pk)
    )
    if not policy.can_read_records(actor, case):
        raise NotFoundOrHidden("No such case.")
    return case


def mediator_case(actor: Any, case: Case, what: str) -> Case:
    """Like `records_case`, and the actor must also be the case's lead or co-mediator."""
    case = records_case(actor, case)
    if not policy.can_decide(actor, case):
        raise NotPermitted(f"Only the case's mediator can {what}.")
    return case


def locked_concern(concern: SafeguardingConcern) -> SafeguardingConcern:
    """The concern, row-locked for the rest of the transaction; 404 if it has gone."""
    try:
        return SafeguardingConcern.objects.select_for_update().get(pk=concern.pk)
    except (SafeguardingConcern.DoesNotExist, ValueError, TypeError):
        raise NotFoundOrHidden("No such safeguarding concern.") from None


def clean_text(
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


def clean_moment(
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
    # Forms give whole minutes, so "now" in a form can read a little before a moment just saved.
    elif not_before is not None and value < not_before.replace(second=0, microsecond=0):
        errors[name] = [f"This cannot be before {not_before_label}."]
    return value


def clean_day(
    errors: dict[str, list[str]], name: str, value: Any, *, today: dt.date, not_before: dt.date
) -> dt.date | None:
    """A referral date that is neither in the future nor before the concern was raised."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        errors[name] = ["Enter the date of the referral as a real date."]
        return None
    if value > today:
        errors[name] = ["The date of the referral cannot be in the future."]
    elif value < not_before:
        errors[name] = ["The date of the referral cannot be before the concern was raised."]
    return value


def audit(actor: Any, case: Case, action: str, target: Any, **details: Any) -> None:
    """Record a restricted audit event; callers pass ids and kinds only, never record text."""
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action=f"safeguarding.{action}",
        target=target,
        case_id=case.pk,
        details=details,
        visibility=RESTRICTED,
    )


def deadline_services() -> Any:
    """The deadline engine's services."""
    # Imported on use: the deadline engine depends on cases, and cases' stage guard imports us.
    from accord.deadlines import services as deadline_services

    return deadline_services
