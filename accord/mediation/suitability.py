"""The suitability gate on sessions and rooms, with the database's facts; and the override.

`accord.mediation.gate` decides (pure); this module gathers a case's facts (`gate_facts`), refuses
with `ValidationFailed` (`ensure_session_allowed`, `ensure_room_post_allowed`), records an
accredited mediator's override (`override_record`) and lists overrides for supervisors
(`overrides_for_supervisor`). See docs/suitability-gate.md.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases import kinds
from accord.cases.models import Case
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.mediation import gate
from accord.mediation.models import SuitabilityOverride

REASON_LIMIT = 2000


def _decision(case: Case) -> Any:
    from accord.meetings.models import SuitabilityDecision

    return SuitabilityDecision.objects.filter(case_id=case.pk).first()


def current_override(case: Case, decision: Any = None) -> SuitabilityOverride | None:
    """The override of the decision in force, if one was recorded since it was last decided."""
    decision = decision if decision is not None else _decision(case)
    if decision is None:
        return None
    return (
        SuitabilityOverride.objects.filter(
            case_id=case.pk,
            decision_id=decision.pk,
            decision_decided_at=decision.decided_at,
            decision_route=decision.route,
        )
        .order_by("-made_at", "-id")
        .first()
    )


def stricter_screening_pending(case: Case) -> bool:
    """Whether a screening alert awaits a newer suitability decision."""
    from accord.meetings.models import ScreeningAlert

    return ScreeningAlert.objects.filter(case_id=case.pk, resolved_at__isnull=True).exists()


def gate_facts(case: Case) -> gate.GateFacts:
    """What the gate needs to know about the case, from its records."""
    from accord.meetings.services.miams import parties_without_held_miam

    suitability = kinds.applies(case.kind, "suitability")
    miam = kinds.applies(case.kind, "miam")
    decision = _decision(case) if suitability else None
    override = current_override(case, decision) if decision is not None else None
    missing = [p.full_name for p in parties_without_held_miam(case)] if miam else []
    return gate.GateFacts(
        suitability_applies=suitability,
        miam_applies=miam,
        decision=decision.route if decision is not None else None,
        parties_without_miam=tuple(missing),
        stricter_screening_pending=suitability and stricter_screening_pending(case),
        override=override is not None,
        formats=kinds.kind_spec(case.kind).session_formats,
    )


def session_refusal(case: Case, session_format: str) -> str:
    """Why a session of this format cannot be booked or started now, or "" if it can."""
    return gate.session_verdict(gate_facts(case), session_format).reason


def booking_refusal(case: Case) -> str:
    """Why no session of any format can be booked now, or "" if at least one format can."""
    facts = gate_facts(case)
    reasons = [gate.session_verdict(facts, f).reason for f in facts.formats]
    return "" if any(r == "" for r in reasons) else reasons[0]


def ensure_session_allowed(case: Case, session_format: str) -> None:
    """Raise ValidationFailed with the gate's reason if the session may not be booked/started."""
    reason = session_refusal(case, session_format)
    if reason:
        raise ValidationFailed(reason, field_errors={"__all__": [reason]})


def room_post_refusal(case: Case, room_kind: str, *, is_staff: bool) -> str:
    """Why the writer may not post in a room of this kind, or "" if they may."""
    if is_staff:
        return ""
    return gate.room_verdict(gate_facts(case), room_kind, is_staff=False).reason


def ensure_room_post_allowed(case: Case, room_kind: str, *, is_staff: bool) -> None:
    reason = room_post_refusal(case, room_kind, is_staff=is_staff)
    if reason:
        raise ValidationFailed(reason, field_errors={"__all__": [reason]})


# The override


def may_override(user: Any, case: Case) -> bool:
    """An accredited mediator who is the case's lead or co-mediator; never a trainee."""
    from accord.outcomes.services import is_accredited

    pk = getattr(user, "pk", None)
    return (
        pk is not None
        and pk in (case.lead_mediator_id, case.co_mediator_id)
        and is_accredited(user, case)
    )


@transaction.atomic
def override_record(*, actor: Any, case: Case, reason: str) -> SuitabilityOverride:
    """Record an accredited case mediator's override of the decision in force, with a reason."""
    from accord.cases import policy as case_policy
    from accord.meetings.models import SuitabilityDecision

    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case_policy.can(actor, "view_workspace", case):
        raise NotFoundOrHidden("No such case.")
    if not may_override(actor, case) or not case_policy.can(actor, "change", case):
        raise NotPermitted(
            "Only an accredited mediator of this case can override the suitability gate."
        )
    errors: dict[str, list[str]] = {}
    if not kinds.applies(case.kind, "suitability"):
        message = kinds.refusal(case.kind, "suitability")
        raise ValidationFailed(message, field_errors={"__all__": [message]})
    decision = SuitabilityDecision.objects.filter(case=case).first()
    if case.is_closed:
        errors["__all__"] = ["The case is closed."]
    elif decision is None:
        errors["__all__"] = [
            "There is no suitability decision to override: record the decision first."
        ]
    elif stricter_screening_pending(case):
        errors["__all__"] = [
            "A newer screening awaits a suitability decision: record the decision first."
        ]
    text = reason.strip() if isinstance(reason, str) else ""
    if not text:
        errors["reason"] = ["Give the reason for overriding the suitability gate."]
    elif len(text) > REASON_LIMIT:
        errors["reason"] = [f"The reason must be {REASON_LIMIT:,} characters or fewer."]
    if errors:
        raise ValidationFailed("The override could not be recorded.", field_errors=errors)
    assert decision is not None
    override = SuitabilityOverride.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        decision=decision,
        decision_route=decision.route,
        decision_decided_at=decision.decided_at,
        reason=text,
        made_by=actor,
        made_at=timezone.now(),
    )
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="suitability.overridden",
        target=override,
        case_id=case.pk,
        # The reason may quote screening: restricted to the case team; the trail gets ids.
        visibility="restricted",
        details={
            "override_id": override.pk,
            "decision_id": decision.pk,
            "decision_route": decision.route,
        },
    )
    return override


def overrides_for_supervisor(user: Any) -> QuerySet[SuitabilityOverride]:
    """Overrides on cases the user supervises, or made by mediators the user supervises (PPC).

    Only in services where the user holds a live staff role; newest first.
    """
    from accord.organisations.models import MediatorProfile
    from accord.organisations.selectors import roles_in

    pk = getattr(user, "pk", None)
    if pk is None or not getattr(user, "is_active", False):
        return SuitabilityOverride.objects.none()
    supervisees = MediatorProfile.objects.filter(supervisor_id=pk).values_list(
        "organisation_id", "user_id"
    )
    by_supervisee = Q(pk__in=[])
    for org_id, uid in supervisees:
        by_supervisee |= Q(organisation_id=org_id, made_by_id=uid)
    found = SuitabilityOverride.objects.filter(Q(case__supervisor_id=pk) | by_supervisee)
    orgs = {o for o in found.values_list("organisation_id", flat=True) if roles_in(user, o)}
    return (
        found.filter(organisation_id__in=orgs)
        .select_related("case", "made_by")
        .order_by("-made_at", "-id")
    )
