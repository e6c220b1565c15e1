"""Pausing the mediation while an investigation is open, and the decision that lifts it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.cases.models import Case
from accord.core.errors import ValidationFailed
from accord.safeguarding.models import (
    CaseHold,
    ConcernStatus,
    HoldDecision,
    SafeguardingConcern,
)
from accord.safeguarding.services.common import (
    LONG_TEXT,
    NEUTRAL_END_REASON,
    SHORT_TEXT,
    audit,
    clean_text,
    locked_concern,
    mediator_case,
    records_case,
)

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
    concern = locked_concern(concern)
    case = records_case(actor, concern.case)
    if concern.is_closed:
        raise ValidationFailed("This concern is closed.")
    if case.is_closed:
        raise ValidationFailed("The case is closed, so there is no mediation to pause.")
    if case.is_paused:
        raise ValidationFailed("The case is already paused.")
    errors: dict[str, list[str]] = {}
    investigating_agency = clean_text(
        errors,
        "investigating_agency",
        investigating_agency,
        missing="Enter the agency investigating, such as the council's children's services.",
        limit=SHORT_TEXT,
    )
    investigation_reference = clean_text(
        errors,
        "investigation_reference",
        investigation_reference,
        missing="",
        limit=100,
        required=False,
    )
    reasons = clean_text(
        errors, "reasons", reasons, missing="Say why the mediation is paused.", limit=LONG_TEXT
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
    audit(
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
    case = mediator_case(actor, case, "decide whether the mediation resumes or ends")
    hold = CaseHold.objects.select_for_update().filter(case=case, decided_at__isnull=True).first()
    if hold is None:
        raise ValidationFailed("The case is not paused for safeguarding.")
    errors: dict[str, list[str]] = {}
    if decision not in HoldDecision.values:
        errors["decision"] = ["Choose whether the mediation resumes or ends."]
    reasons = clean_text(
        errors, "reasons", reasons, missing="Give the reasons for the decision.", limit=LONG_TEXT
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
    audit(
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
